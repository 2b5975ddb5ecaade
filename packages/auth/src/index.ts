export { createOAuth2Client } from './oauth2-client.js';
export type {
  AuthorizationRequest,
  AuthorizationUrlOptions,
  ExchangeCodeOptions,
  IdentityCredentials,
  JwtBearerLogin,
  OAuth2Client,
  OAuth2ClientOptions,
  PasswordLogin,
} from './oauth2-types.js';
export { type AuthCallOptions, type Environment, LOGIN_HOSTS } from './internal.js';
export { type JwtClaimsInput, MAX_JWT_LIFETIME_MS, signJwtAssertion } from './jwt.js';
export { codeChallengeS256, createCodeVerifier, createState } from './pkce.js';
export {
  authorizationCodeAuth,
  clientCredentialsAuth,
  jwtBearerAuth,
  passwordAuth,
  refreshTokenAuth,
  type StrategyOptions,
} from './strategies.js';
export {
  credentialsFromSoapLogin,
  SOAP_LOGIN_API_VERSION,
  type SoapLoginOptions,
  type SoapLoginResult,
  type SoapLogoutOptions,
  soapLogin,
  soapLoginAuth,
  soapLogout,
} from './soap-login.js';
export { MemoryTokenStore, type TokenStore } from './token-store.js';
export { createMultiUser, type MultiUser, type MultiUserOptions } from './multi-user.js';
export {
  type NextFunction,
  type WebFlowMiddlewareOptions,
  type WebFlowRequest,
  type WebFlowResponse,
  webFlowMiddleware,
} from './web-flow-middleware.js';

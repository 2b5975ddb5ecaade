// Describe metadata of the standard objects the emulator knows. Field names, types, lengths
// and required-ness follow a real org's describe (API v64), trimmed to the fields a client is
// likely to touch; the fields no integration uses (Jigsaw, clean status...) are left out.

import { addressFields, field, ref, systemFields } from './fields.js';
import { defineObjectDescribe, type ObjectDefinition, type ObjectOptions } from './object-definition.js';

const LEAD_SOURCE = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRY = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const RATING = ['Hot', 'Warm', 'Cold'];
const SALUTATION = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];

function withSystem(owner: string[] | undefined, fields: ReturnType<typeof field>[]) {
  const { head, tail } = systemFields(owner);
  return [...head, ...fields, ...tail];
}

const activityDates = () => [
  field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true }),
  field('LastViewedDate', 'datetime', { label: 'Last Viewed Date', readOnly: true }),
  field('LastReferencedDate', 'datetime', { label: 'Last Referenced Date', readOnly: true }),
];

const personName = () => [
  field('LastName', 'string', { label: 'Last Name', length: 80, required: true }),
  field('FirstName', 'string', { label: 'First Name', length: 40 }),
  field('Salutation', 'picklist', { length: 40, picklist: SALUTATION }),
  // Salesforce composes Name from the parts; it cannot be written directly.
  field('Name', 'string', { label: 'Full Name', length: 121, readOnly: true, nameField: true }),
];

const account: ObjectOptions = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  childRelationshipNames: { ParentId: 'ChildAccounts', MasterRecordId: 'MergedAccounts' },
  fields: withSystem(
    ['User'],
    [
      ref('MasterRecordId', 'Account', { label: 'Master Record ID', readOnly: true }),
      field('Name', 'string', { label: 'Account Name', required: true, nameField: true }),
      field('Type', 'picklist', {
        label: 'Account Type',
        length: 255,
        picklist: [
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ],
      }),
      ref('ParentId', 'Account', { label: 'Parent Account ID', relationshipName: 'Parent' }),
      ...addressFields('Billing', 'Billing'),
      ...addressFields('Shipping', 'Shipping'),
      field('Phone', 'phone', { label: 'Account Phone' }),
      field('Fax', 'phone', { label: 'Account Fax' }),
      field('AccountNumber', 'string', { label: 'Account Number', length: 40 }),
      field('Website', 'url'),
      field('Sic', 'string', { label: 'SIC Code', length: 20 }),
      field('Industry', 'picklist', { length: 255, picklist: INDUSTRY }),
      field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
      field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
      field('Ownership', 'picklist', { picklist: ['Public', 'Private', 'Subsidiary', 'Other'] }),
      field('TickerSymbol', 'string', { label: 'Ticker Symbol', length: 20 }),
      field('Description', 'textarea', { label: 'Account Description', length: 32000 }),
      field('Rating', 'picklist', { label: 'Account Rating', picklist: RATING }),
      field('Site', 'string', { label: 'Account Site', length: 80 }),
      field('AccountSource', 'picklist', { label: 'Account Source', picklist: LEAD_SOURCE }),
      ...activityDates(),
    ],
  ),
};

const contact: ObjectOptions = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  childRelationshipNames: { AccountId: 'Contacts', MasterRecordId: 'MergedContacts' },
  fields: withSystem(
    ['User'],
    [
      ref('MasterRecordId', 'Contact', { label: 'Master Record ID', readOnly: true }),
      ref('AccountId', 'Account', { label: 'Account ID' }),
      ...personName(),
      ...addressFields('Other', 'Other'),
      ...addressFields('Mailing', 'Mailing'),
      field('Phone', 'phone', { label: 'Business Phone' }),
      field('Fax', 'phone', { label: 'Business Fax' }),
      field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
      field('HomePhone', 'phone', { label: 'Home Phone' }),
      field('OtherPhone', 'phone', { label: 'Other Phone' }),
      field('AssistantPhone', 'phone', { label: 'Asst. Phone' }),
      ref('ReportsToId', 'Contact', { label: 'Reports To ID', relationshipName: 'ReportsTo' }),
      field('Email', 'email'),
      field('Title', 'string', { length: 128 }),
      field('Department', 'string', { length: 80 }),
      field('AssistantName', 'string', { label: "Assistant's Name", length: 40 }),
      field('LeadSource', 'picklist', { label: 'Lead Source', picklist: LEAD_SOURCE }),
      field('Birthdate', 'date'),
      field('Description', 'textarea', { label: 'Contact Description', length: 32000 }),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
      field('EmailBouncedReason', 'string', { label: 'Email Bounced Reason', length: 255 }),
      field('EmailBouncedDate', 'datetime', { label: 'Email Bounced Date' }),
      ...activityDates(),
    ],
  ),
};

const lead: ObjectOptions = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  fields: withSystem(
    ['Group', 'User'],
    [
      ref('MasterRecordId', 'Lead', { label: 'Master Record ID', readOnly: true }),
      ...personName(),
      field('Title', 'string', { length: 128 }),
      field('Company', 'string', { length: 255, required: true }),
      ...addressFields('', ''),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
      field('Fax', 'phone'),
      field('Email', 'email'),
      field('Website', 'url'),
      field('Description', 'textarea', { length: 32000 }),
      field('LeadSource', 'picklist', { label: 'Lead Source', picklist: LEAD_SOURCE }),
      field('Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        picklist: [
          '*Open - Not Contacted',
          'Working - Contacted',
          'Closed - Converted',
          'Closed - Not Converted',
        ],
      }),
      field('Industry', 'picklist', { picklist: INDUSTRY }),
      field('Rating', 'picklist', { picklist: RATING }),
      field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
      field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
      field('IsConverted', 'boolean', { label: 'Converted', updateable: false }),
      field('ConvertedDate', 'date', { label: 'Converted Date', readOnly: true }),
      ref('ConvertedAccountId', 'Account', { label: 'Converted Account ID', readOnly: true }),
      ref('ConvertedContactId', 'Contact', { label: 'Converted Contact ID', readOnly: true }),
      ref('ConvertedOpportunityId', 'Opportunity', { label: 'Converted Opportunity ID', readOnly: true }),
      field('IsUnreadByOwner', 'boolean', { label: 'Unread By Owner' }),
      ...activityDates(),
    ],
  ),
};

const opportunity: ObjectOptions = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  childRelationshipNames: { AccountId: 'Opportunities' },
  fields: withSystem(
    ['User'],
    [
      ref('AccountId', 'Account', { label: 'Account ID' }),
      field('IsPrivate', 'boolean', { label: 'Private' }),
      field('Name', 'string', { label: 'Name', length: 120, required: true, nameField: true }),
      field('Description', 'textarea', { length: 32000 }),
      field('StageName', 'picklist', {
        label: 'Stage',
        required: true,
        picklist: [
          'Prospecting',
          'Qualification',
          'Needs Analysis',
          'Value Proposition',
          'Id. Decision Makers',
          'Perception Analysis',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
        ],
      }),
      field('Amount', 'currency'),
      field('Probability', 'percent', { label: 'Probability (%)', defaultedOnCreate: true }),
      field('ExpectedRevenue', 'currency', { label: 'Expected Amount', readOnly: true, calculated: true }),
      field('TotalOpportunityQuantity', 'double', { label: 'Quantity', precision: 18, scale: 2 }),
      field('CloseDate', 'date', { label: 'Close Date', required: true }),
      field('Type', 'picklist', {
        label: 'Opportunity Type',
        picklist: [
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer',
        ],
      }),
      field('NextStep', 'string', { label: 'Next Step' }),
      field('LeadSource', 'picklist', { label: 'Lead Source', picklist: LEAD_SOURCE }),
      field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
      field('IsWon', 'boolean', { label: 'Won', readOnly: true }),
      field('ForecastCategory', 'picklist', {
        label: 'Forecast Category',
        readOnly: true,
        nillable: false,
        defaultedOnCreate: true,
        picklist: ['Omitted', 'Pipeline', 'BestCase', 'MostLikely', 'Forecast', 'Closed'],
      }),
      field('ForecastCategoryName', 'picklist', {
        label: 'Forecast Category',
        defaultedOnCreate: true,
        picklist: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
      }),
      field('HasOpportunityLineItem', 'boolean', { label: 'Has Line Item', readOnly: true }),
      field('FiscalQuarter', 'int', { label: 'Fiscal Quarter', readOnly: true, precision: 11 }),
      field('FiscalYear', 'int', { label: 'Fiscal Year', readOnly: true, precision: 11 }),
      field('Fiscal', 'string', { label: 'Fiscal Period', readOnly: true, length: 6 }),
      ...activityDates(),
    ],
  ),
};

const caseObject: ObjectOptions = {
  name: 'Case',
  label: 'Case',
  labelPlural: 'Cases',
  keyPrefix: '500',
  childRelationshipNames: { AccountId: 'Cases', ContactId: 'Cases', ParentId: 'Cases' },
  fields: withSystem(
    ['Group', 'User'],
    [
      ref('MasterRecordId', 'Case', { label: 'Master Record ID', readOnly: true }),
      // An auto-number: the org assigns it, so it reads as required but is never writable.
      field('CaseNumber', 'string', {
        label: 'Case Number',
        length: 30,
        readOnly: true,
        nillable: false,
        defaultedOnCreate: true,
        nameField: true,
      }),
      ref('ContactId', 'Contact', { label: 'Contact ID' }),
      ref('AccountId', 'Account', { label: 'Account ID' }),
      ref('ParentId', 'Case', { label: 'Parent Case ID', relationshipName: 'Parent' }),
      field('SuppliedName', 'string', { label: 'Name', length: 80 }),
      field('SuppliedEmail', 'email', { label: 'Email' }),
      field('SuppliedPhone', 'string', { label: 'Phone', length: 40 }),
      field('SuppliedCompany', 'string', { label: 'Company', length: 80 }),
      field('Type', 'picklist', {
        label: 'Case Type',
        picklist: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'],
      }),
      field('Status', 'picklist', {
        defaultedOnCreate: true,
        picklist: ['*New', 'Working', 'Escalated', 'Closed'],
      }),
      field('Reason', 'picklist', {
        label: 'Case Reason',
        picklist: [
          'Installation',
          'Equipment Complexity',
          'Performance',
          'Breakdown',
          'Equipment Design',
          'Feedback',
          'Other',
        ],
      }),
      field('Origin', 'picklist', { label: 'Case Origin', picklist: ['Phone', 'Email', 'Web'] }),
      field('Subject', 'string'),
      field('Priority', 'picklist', { defaultedOnCreate: true, picklist: ['High', '*Medium', 'Low'] }),
      field('Description', 'textarea', { length: 32000 }),
      field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
      field('ClosedDate', 'datetime', { label: 'Closed Date', readOnly: true }),
      field('IsEscalated', 'boolean', { label: 'Escalated' }),
      ...activityDates().slice(1),
    ],
  ),
};

const user: ObjectOptions = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  deletable: false,
  childRelationshipNames: { ManagerId: 'ManagedUsers' },
  fields: withSystem(undefined, [
    field('Username', 'string', { length: 80, required: true, unique: true }),
    ...personName().filter((f) => f.name !== 'Salutation'),
    field('CompanyName', 'string', { label: 'Company Name', length: 80 }),
    field('Division', 'string', { length: 80 }),
    field('Department', 'string', { length: 80 }),
    field('Title', 'string', { length: 80 }),
    ...addressFields('', ''),
    field('Email', 'email', { length: 128, required: true }),
    field('Phone', 'phone'),
    field('MobilePhone', 'phone', { label: 'Mobile' }),
    field('Alias', 'string', { length: 8, required: true }),
    field('CommunityNickname', 'string', {
      label: 'Nickname',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('IsActive', 'boolean', { label: 'Active' }),
    // Salesforce requires these on insert; the emulator has no Profile records or locale
    // tables to offer, so it defaults them instead (see README).
    field('TimeZoneSidKey', 'picklist', {
      label: 'Time Zone',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: [
        '*America/Los_Angeles',
        'America/New_York',
        'Europe/London',
        'Europe/Paris',
        'Asia/Tokyo',
        'GMT',
      ],
    }),
    field('LocaleSidKey', 'picklist', {
      label: 'Locale',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*en_US', 'en_GB', 'fr_FR', 'de_DE', 'ja_JP'],
    }),
    field('EmailEncodingKey', 'picklist', {
      label: 'Email Encoding',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*UTF-8', 'ISO-8859-1'],
    }),
    field('LanguageLocaleKey', 'picklist', {
      label: 'Language',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*en_US', 'fr', 'de', 'ja'],
    }),
    ref('ProfileId', 'Profile', { label: 'Profile ID', nillable: false, defaultedOnCreate: true }),
    field('UserType', 'picklist', {
      label: 'User Type',
      length: 40,
      readOnly: true,
      picklist: ['Standard', 'PowerPartner', 'CspLitePortal', 'CsnOnly', 'Guest'],
    }),
    ref('ManagerId', 'User', { label: 'Manager ID' }),
    field('LastLoginDate', 'datetime', { label: 'Last Login', readOnly: true }),
    ...activityDates().slice(1),
  ]),
};

const attachment: ObjectOptions = {
  name: 'Attachment',
  searchable: false,
  label: 'Attachment',
  labelPlural: 'Attachments',
  keyPrefix: '00P',
  fields: withSystem(undefined, [
    ref('ParentId', ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Task'], {
      label: 'Parent ID',
      required: true,
      updateable: false,
      relationshipName: 'Parent',
    }),
    field('Name', 'string', { label: 'File Name', required: true, nameField: true }),
    field('IsPrivate', 'boolean', { label: 'Private' }),
    field('ContentType', 'string', { label: 'Content Type', length: 120 }),
    field('BodyLength', 'int', { label: 'Body Length', readOnly: true, precision: 9 }),
    field('Body', 'base64', { required: true, length: 26214400 }),
    ref('OwnerId', ['User'], { label: 'Owner ID', nillable: false, defaultedOnCreate: true }),
    field('Description', 'textarea', { length: 500 }),
  ]),
  childRelationshipNames: { ParentId: 'Attachments' },
};

const folder: ObjectOptions = {
  name: 'Folder',
  searchable: false,
  label: 'Folder',
  labelPlural: 'Folders',
  keyPrefix: '00l',
  fields: withSystem(undefined, [
    field('Name', 'string', { length: 40, required: true, nameField: true }),
    field('DeveloperName', 'string', { label: 'Folder Unique Name', length: 80, defaultedOnCreate: true }),
    field('AccessType', 'picklist', {
      label: 'Access Type',
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['Shared', 'Public', 'Hidden', 'PublicInternal'],
    }),
    field('IsReadonly', 'boolean', { label: 'Read Only' }),
    field('Type', 'picklist', { required: true, picklist: ['Document', 'Email', 'Report', 'Dashboard'] }),
  ]),
};

const document: ObjectOptions = {
  name: 'Document',
  label: 'Document',
  labelPlural: 'Documents',
  keyPrefix: '015',
  fields: withSystem(undefined, [
    ref('FolderId', ['Folder', 'User'], { label: 'Folder ID', required: true, relationshipName: 'Folder' }),
    field('Name', 'string', { label: 'Document Name', required: true, nameField: true }),
    field('DeveloperName', 'string', {
      label: 'Document Unique Name',
      length: 80,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('NamespacePrefix', 'string', { label: 'Namespace Prefix', length: 15, readOnly: true }),
    field('ContentType', 'string', { label: 'MIME Type', length: 120 }),
    field('Type', 'string', { label: 'File Extension', length: 40 }),
    field('IsPublic', 'boolean', { label: 'Externally Available' }),
    field('BodyLength', 'int', { label: 'Body Length', readOnly: true, precision: 9 }),
    field('Body', 'base64', { length: 5242880 }),
    field('Url', 'url', { length: 255 }),
    field('Description', 'textarea', { label: 'Document Description', length: 255 }),
    field('Keywords', 'string', { length: 255 }),
    field('IsInternalUseOnly', 'boolean', { label: 'Internal Use Only' }),
    ref('AuthorId', 'User', { label: 'Author ID', nillable: false, defaultedOnCreate: true }),
    field('IsBodySearchable', 'boolean', { label: 'Document Content Searchable', readOnly: true }),
  ]),
};

const contentDocument: ObjectOptions = {
  name: 'ContentDocument',
  label: 'Content Document',
  labelPlural: 'Content Documents',
  keyPrefix: '069',
  createable: false,
  fields: withSystem(
    ['User'],
    [
      field('Title', 'string', { nillable: false, defaultedOnCreate: true, nameField: true }),
      ref('LatestPublishedVersionId', 'ContentVersion', {
        label: 'Latest Published Version ID',
        readOnly: true,
      }),
      field('FileType', 'string', { label: 'File Type', length: 20, readOnly: true }),
      field('FileExtension', 'string', { label: 'File Extension', length: 40, readOnly: true }),
      field('ContentSize', 'int', { label: 'Size', readOnly: true, precision: 9 }),
      field('Description', 'textarea', { length: 1000 }),
    ],
  ),
};

const contentVersion: ObjectOptions = {
  name: 'ContentVersion',
  label: 'Content Version',
  labelPlural: 'Content Versions',
  keyPrefix: '068',
  deletable: false,
  childRelationshipNames: {},
  fields: withSystem(
    ['User'],
    [
      ref('ContentDocumentId', 'ContentDocument', {
        label: 'ContentDocument ID',
        updateable: false,
        defaultedOnCreate: true,
      }),
      field('IsLatest', 'boolean', { label: 'Is Latest', readOnly: true }),
      field('ContentUrl', 'url', { label: 'Content URL', length: 1300 }),
      field('VersionNumber', 'string', { label: 'Version Number', length: 20, readOnly: true }),
      field('Title', 'string', { nillable: false, defaultedOnCreate: true, nameField: true }),
      field('Description', 'textarea', { length: 1000 }),
      field('ReasonForChange', 'string', { label: 'Reason For Change', length: 1000 }),
      field('PathOnClient', 'string', { label: 'Path On Client', length: 500, updateable: false }),
      field('ContentSize', 'int', { label: 'Size', readOnly: true, precision: 9 }),
      field('FileType', 'string', { label: 'File Type', length: 20, readOnly: true }),
      field('FileExtension', 'string', { label: 'File Extension', length: 40, readOnly: true }),
      field('VersionData', 'base64', { label: 'Version Data', updateable: false, length: 2147483647 }),
      field('Checksum', 'string', { length: 50, readOnly: true }),
      field('Origin', 'picklist', {
        label: 'Content Origin',
        updateable: false,
        nillable: false,
        defaultedOnCreate: true,
        picklist: ['*C', 'H'],
      }),
      field('ContentLocation', 'picklist', {
        label: 'Content Location',
        updateable: false,
        nillable: false,
        defaultedOnCreate: true,
        picklist: ['*S', 'E', 'L'],
      }),
      ref('FirstPublishLocationId', ['User', 'Account', 'Contact', 'Opportunity', 'Case'], {
        label: 'First Publish Location ID',
        updateable: false,
        relationshipName: 'FirstPublishLocation',
      }),
    ],
  ),
};

const pushTopic: ObjectOptions = {
  name: 'PushTopic',
  searchable: false,
  label: 'Push Topic',
  labelPlural: 'Push Topics',
  keyPrefix: '0IF',
  fields: withSystem(undefined, [
    field('Name', 'string', { label: 'Topic Name', length: 25, required: true, nameField: true }),
    field('Query', 'string', { label: 'SOQL Query', length: 1300, required: true }),
    field('ApiVersion', 'double', { label: 'API Version', required: true, precision: 18, scale: 1 }),
    field('IsActive', 'boolean', { label: 'Active', defaultedOnCreate: true }),
    field('NotifyForFields', 'picklist', {
      label: 'Notify For Fields',
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['All', '*Referenced', 'Select', 'Where'],
    }),
    field('NotifyForOperations', 'picklist', {
      label: 'Notify For Operations',
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*All', 'Create', 'Extended', 'Update'],
    }),
    field('NotifyForOperationCreate', 'boolean', { label: 'Create' }),
    field('NotifyForOperationUpdate', 'boolean', { label: 'Update' }),
    field('NotifyForOperationDelete', 'boolean', { label: 'Delete' }),
    field('NotifyForOperationUndelete', 'boolean', { label: 'Undelete' }),
    field('Description', 'string', { length: 400 }),
  ]),
};

// Generic streaming: a channel is a record (name `/u/...`), pushed to through
// /sobjects/StreamingChannel/{id}/push and subscribed to over CometD.
const streamingChannel: ObjectOptions = {
  name: 'StreamingChannel',
  label: 'Streaming Channel',
  labelPlural: 'Streaming Channels',
  keyPrefix: '0M6',
  searchable: false,
  fields: withSystem(
    ['Group', 'User'],
    [
      field('Name', 'string', {
        label: 'Streaming Channel Name',
        length: 80,
        required: true,
        nameField: true,
        unique: true,
      }),
      field('Description', 'string', { length: 255 }),
      field('IsDynamic', 'boolean', { label: 'Is Dynamic', readOnly: true }),
    ],
  ),
};

const task: ObjectOptions = {
  name: 'Task',
  label: 'Task',
  labelPlural: 'Tasks',
  keyPrefix: '00T',
  childRelationshipNames: { WhoId: 'Tasks', WhatId: 'Tasks' },
  fields: withSystem(
    ['Group', 'User'],
    [
      ref('WhoId', ['Contact', 'Lead'], { label: 'Name ID', relationshipName: 'Who' }),
      ref('WhatId', ['Account', 'Opportunity', 'Case'], { label: 'Related To ID', relationshipName: 'What' }),
      field('Subject', 'combobox', {
        picklist: ['Call', 'Send Letter', 'Send Quote', 'Other'],
        nameField: true,
      }),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      field('Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        picklist: ['*Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
      }),
      field('Priority', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        picklist: ['High', '*Normal', 'Low'],
      }),
      field('IsHighPriority', 'boolean', { label: 'High Priority', readOnly: true }),
      field('Description', 'textarea', { length: 32000 }),
      ref('AccountId', 'Account', { label: 'Account ID', readOnly: true }),
      field('IsClosed', 'boolean', { label: 'Closed', readOnly: true }),
      field('IsReminderSet', 'boolean', { label: 'Reminder Set' }),
      field('ReminderDateTime', 'datetime', { label: 'Reminder Date/Time' }),
      field('CallDurationInSeconds', 'int', { label: 'Call Duration', precision: 8 }),
      field('CallType', 'picklist', { label: 'Call Type', picklist: ['Internal', 'Inbound', 'Outbound'] }),
      field('TaskSubtype', 'picklist', {
        label: 'Task Subtype',
        updateable: false,
        picklist: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call'],
      }),
    ],
  ),
};

const organization: ObjectOptions = {
  name: 'Organization',
  searchable: false,
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  createable: false,
  deletable: false,
  fields: withSystem(undefined, [
    field('Name', 'string', { length: 80, required: true, nameField: true }),
    field('Division', 'string', { length: 80 }),
    ...addressFields('', ''),
    field('Phone', 'phone'),
    field('PrimaryContact', 'string', { label: 'Primary Contact', length: 80 }),
    field('DefaultLocaleSidKey', 'picklist', {
      label: 'Locale',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*en_US'],
    }),
    field('LanguageLocaleKey', 'picklist', {
      label: 'Language',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*en_US'],
    }),
    field('TimeZoneSidKey', 'picklist', {
      label: 'Time Zone',
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      picklist: ['*America/Los_Angeles'],
    }),
    field('OrganizationType', 'picklist', {
      label: 'Edition',
      length: 40,
      readOnly: true,
      picklist: ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition'],
    }),
    field('InstanceName', 'string', { label: 'Instance Name', length: 5, readOnly: true }),
    field('IsSandbox', 'boolean', { label: 'Is Sandbox', readOnly: true }),
    field('NamespacePrefix', 'string', { label: 'Namespace Prefix', length: 15, readOnly: true }),
    field('TrialExpirationDate', 'datetime', { label: 'Trial Expiration Date', readOnly: true }),
  ]),
};

const STANDARD: readonly ObjectOptions[] = [
  account,
  contact,
  lead,
  opportunity,
  caseObject,
  user,
  attachment,
  folder,
  document,
  contentDocument,
  contentVersion,
  pushTopic,
  streamingChannel,
  task,
  organization,
];

/** Fresh describe metadata for every standard object (fresh so no two emulators share state). */
export function standardObjects(apiVersion: string): ObjectDefinition[] {
  return STANDARD.map((o) => defineObjectDescribe(structuredClone(o), apiVersion));
}

// The Folder rows a new org starts with, so a Document can be filed without a hand-made folder
// (a user's id, for "My Personal Documents", works as a FolderId too).

import type { OrgStore } from '../store.js';

/** The emulator's standard folders: one shared folder each for documents, reports and dashboards. */
export const STANDARD_FOLDERS = [
  { Name: 'Shared Documents', DeveloperName: 'SharedDocuments', Type: 'Document', AccessType: 'Public' },
  { Name: 'Public Reports', DeveloperName: 'PublicReports', Type: 'Report', AccessType: 'Public' },
  { Name: 'Public Dashboards', DeveloperName: 'PublicDashboards', Type: 'Dashboard', AccessType: 'Public' },
] as const;

export function seedStandardFolders(store: OrgStore): void {
  for (const folder of STANDARD_FOLDERS)
    store.insert('Folder', { ...folder, IsReadonly: false }, { asSystem: true });
}

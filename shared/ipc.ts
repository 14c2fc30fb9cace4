import type { RequestMethod } from './api';

/** Channel names, derived from the API: one invoke channel per request method, one push channel. */
export const REQUEST_CHANNELS = {
  lookupMx: 'mx:lookup',
  cancelLookup: 'mx:cancel',
  probeMx: 'probe:mx',
  probeRelay: 'probe:relay',
  cancelProbe: 'probe:cancel',
  checkPolicy: 'policy:check',
  startSession: 'session:start',
  stepSession: 'session:step',
  cancelSession: 'session:cancel',
  previewMessage: 'message:preview',
  hostInfo: 'host:info',
  loadDraft: 'draft:load',
  saveDraft: 'draft:save',
  getSettings: 'settings:get',
  saveSettings: 'settings:save',
  listProfiles: 'profiles:list',
  saveProfile: 'profiles:save',
  deleteProfile: 'profiles:delete',
  listHistory: 'history:list',
  getHistory: 'history:get',
  deleteHistory: 'history:delete',
  exportSession: 'history:export',
  importEvents: 'history:import',
  analyzeMessage: 'message:analyze',
  checkSender: 'sender:check',
  saveDkimKey: 'dkim:save-key',
} as const satisfies Record<RequestMethod, string>;

export const EVENT_CHANNEL = 'session:events';

export const REQUEST_METHODS = Object.keys(REQUEST_CHANNELS) as RequestMethod[];

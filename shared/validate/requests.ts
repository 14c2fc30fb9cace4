import type { RequestArg, RequestMethod } from '../api';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { parseAnalyseRequest } from '../analyse/validate';
import { parseMxLookupRequest } from './mx-request';
import { parseCancelProbe, parseProbeMxRequest, parseProbeRelayRequest } from '../probe/validate';
import { parsePreviewRequest, parseSessionRequest, parseStepRequest } from './session-request';
import { parseSenderCheckRequest } from '../sender-auth/validate';
import { parseSaveDkimKeyRequest } from '../sender-auth/save-key';
import {
  parseEmptyRequest,
  parseExportRequest,
  parseIdRequest,
  parseImportRequest,
  parseSaveDraftRequest,
  parseSaveProfileRequest,
  parseSaveSettingsRequest,
} from './store-requests';

/**
 * One validator per request method. Main (IPC and web mode) parses every payload with these before it
 * delegates, and the renderer's forms use the same field validators, so the two cannot drift apart.
 * Adding a method to RequestApi without a validator here is a type error.
 */
export type RequestValidators = { [M in RequestMethod]: (input: unknown) => Result<RequestArg<M>> };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const REQUEST_VALIDATORS: RequestValidators = {
  lookupMx: parseMxLookupRequest,
  cancelLookup: (input) =>
    isRecord(input) && typeof input.lookupId === 'string' && input.lookupId.length <= 100
      ? ok({ lookupId: input.lookupId })
      : fail('invalid_input', 'lookupId must be a short string.', { field: 'lookupId' }),
  probeMx: parseProbeMxRequest,
  probeRelay: parseProbeRelayRequest,
  cancelProbe: parseCancelProbe,
  checkPolicy: parseProbeMxRequest,
  startSession: parseSessionRequest,
  stepSession: parseStepRequest,
  cancelSession: (input) =>
    isRecord(input) && typeof input.sessionId === 'string' && input.sessionId.length <= 100
      ? ok({ sessionId: input.sessionId })
      : fail('invalid_input', 'sessionId must be a short string.', { field: 'sessionId' }),
  previewMessage: parsePreviewRequest,
  hostInfo: () => ok({}),
  loadDraft: parseEmptyRequest,
  saveDraft: parseSaveDraftRequest,
  getSettings: parseEmptyRequest,
  saveSettings: parseSaveSettingsRequest,
  listProfiles: parseEmptyRequest,
  saveProfile: parseSaveProfileRequest,
  deleteProfile: parseIdRequest,
  listHistory: parseEmptyRequest,
  getHistory: parseIdRequest,
  deleteHistory: parseIdRequest,
  exportSession: parseExportRequest,
  importEvents: parseImportRequest,
  analyzeMessage: parseAnalyseRequest,
  checkSender: parseSenderCheckRequest,
  saveDkimKey: parseSaveDkimKeyRequest,
};

import type { Draft } from '../../shared/model';

/** A Draft with every field empty: fixtures spread it and set only the fields they are about. */
export function blankDraft(): Draft {
  return {
    from: '',
    to: '',
    cc: '',
    bcc: '',
    replyTo: '',
    subject: '',
    customHeaders: [],
    text: '',
    html: '',
    attachments: [],
    mailFrom: '',
    rcptTo: [],
    envelopeEdited: false,
    rawMode: false,
    raw: '',
  };
}

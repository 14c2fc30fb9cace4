/**
 * Types for the parts of mailauth 4.8.6 (plain JavaScript, no typings) that the sender check and DKIM signing
 * use. Only what MX Desk reads is declared.
 */
declare module 'mailauth/lib/spf' {
  export interface MailauthSpfResponse {
    domain: string;
    'client-ip': string;
    helo?: string;
    'envelope-from'?: string;
    rr?: string;
    status: { result: string; comment?: string };
    header: string;
    info: string;
    lookups?: { limit: number; count: number; void: number; subqueries: Record<string, number> };
  }
  export function spf(opts: {
    sender: string;
    ip: string;
    helo?: string;
    mta?: string;
    resolver: (name: string, rrtype: string) => Promise<unknown[]>;
    maxResolveCount?: number;
    maxVoidCount?: number;
  }): Promise<MailauthSpfResponse>;
}

declare module 'mailauth/lib/spf/macro' {
  /** RFC 7208 §7 macro expansion; throws on a lone `%`. */
  function macro(input: string, values: { sender: string; ip: string; helo?: string; mta?: string }): string;
  export = macro;
}

declare module 'mailauth/lib/dmarc/get-dmarc-record' {
  type DmarcTags = Record<string, string | number | boolean> & { rr: string; isOrgRecord: boolean };
  function getDmarcRecord(domain: string, resolver: (name: string, rrtype: string) => Promise<unknown[]>): Promise<DmarcTags | false>;
  export = getDmarcRecord;
}

declare module 'mailauth/lib/dkim/sign' {
  export interface DkimSignatureData {
    signingDomain: string;
    selector: string;
    privateKey: string | Buffer;
    algorithm?: string;
    canonicalization?: string;
  }
  export function dkimSign(
    input: Buffer | string,
    options: { signatureData: DkimSignatureData[]; headerList?: string; canonicalization?: string; signTime?: Date; expires?: Date },
  ): Promise<{ signatures: string; errors: { selector?: string; signingDomain?: string; err?: Error }[] }>;
}

/** Small helpers to read untrusted plain-data payloads (IPC, WebSocket) field by field. */

export type FieldErrors = Record<string, string>;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects the first error per field while a payload is read. */
export class ShapeReader {
  readonly errors: FieldErrors = {};

  error(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  string(obj: Record<string, unknown>, key: string, field: string, opts: { max: number; fallback?: string }): string {
    const v = obj[key];
    if (v === undefined && opts.fallback !== undefined) return opts.fallback;
    if (typeof v !== 'string') {
      this.error(field, `${field} must be text.`);
      return '';
    }
    if (v.length > opts.max) {
      this.error(field, `${field} is too long (${v.length} characters; at most ${opts.max}).`);
      return '';
    }
    return v;
  }

  optionalString(obj: Record<string, unknown>, key: string, field: string, max: number): string | undefined {
    if (obj[key] === undefined || obj[key] === null) return undefined;
    return this.string(obj, key, field, { max });
  }

  boolean(obj: Record<string, unknown>, key: string, field: string, fallback?: boolean): boolean {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.error(field, `${field} must be true or false.`);
      return false;
    }
    return v;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, field: string, allowed: readonly T[], fallback?: T): T {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.error(field, `${field} must be one of: ${allowed.join(', ')}.`);
      return allowed[0];
    }
    return v as T;
  }

  integer(obj: Record<string, unknown>, key: string, field: string, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.error(field, `${field} must be a whole number from ${min} to ${max}.`);
      return undefined;
    }
    return v;
  }

  array(obj: Record<string, unknown>, key: string, field: string, max: number): unknown[] {
    const v = obj[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.error(field, `${field} must be a list.`);
      return [];
    }
    if (v.length > max) {
      this.error(field, `${field} has ${v.length} entries; at most ${max} are allowed.`);
      return [];
    }
    return v;
  }
}

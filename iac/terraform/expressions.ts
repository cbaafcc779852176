/**
 * Terraform expressions inside synthesized JSON. cdktf writes a policy attribute in one of three
 * shapes: a JSON string that may contain `${...}` references, a whole `${jsonencode({...})}`
 * expression in HCL object syntax, or a reference such as `${data.aws_iam_policy_document.x.json}`.
 * This module reads the second shape into a JSON value (anything it cannot evaluate, such as a
 * reference or a function call, becomes the string `${<expression>}`, which rules treat as
 * unknown) and recognises the references the sources follow.
 */

/** The account id that stands for "this stack's own account" in policies that reference `data.aws_caller_identity`. */
export const OWN_ACCOUNT_MARKER = '000000000000';

// `$${` is Terraform's escape for a literal `${`, so an escaped reference is not one.
const CALLER_ACCOUNT = /(?<!\$)\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/g;
const CALLER_ACCOUNT_BARE = /^data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id$/;

/** True when `text` contains a caller-identity account reference. */
export function mentionsCallerAccount(text: string): boolean {
  CALLER_ACCOUNT.lastIndex = 0;
  return CALLER_ACCOUNT.test(text);
}

/** Replaces `${data.aws_caller_identity.<n>.account_id}` with `account`. */
export function substituteCallerAccount(text: string, account: string = OWN_ACCOUNT_MARKER): string {
  return text.replace(CALLER_ACCOUNT, account);
}

/**
 * A Terraform string as the provider will receive it: caller-account references substituted, then
 * the template escapes `$${` and `%%{` (how IAM policy variables such as `$${aws:username}` are
 * written in Terraform) turned into the literal `${` and `%{` they stand for.
 */
export function renderTerraformString(text: string, account: string = OWN_ACCOUNT_MARKER): string {
  return substituteCallerAccount(text, account).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Applies renderTerraformString to every string in a JSON value. */
export function renderTerraformStringsDeep(value: unknown, account: string = OWN_ACCOUNT_MARKER): unknown {
  if (typeof value === 'string') return renderTerraformString(value, account);
  if (Array.isArray(value)) return value.map((v) => renderTerraformStringsDeep(v, account));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderTerraformStringsDeep(v, account);
    return out;
  }
  return value;
}

/** Applies substituteCallerAccount to every string in a JSON value. */
export function substituteCallerAccountDeep(value: unknown, account: string = OWN_ACCOUNT_MARKER): unknown {
  if (typeof value === 'string') return substituteCallerAccount(value, account);
  if (Array.isArray(value)) return value.map((v) => substituteCallerAccountDeep(v, account));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteCallerAccountDeep(v, account);
    return out;
  }
  return value;
}

/**
 * When `text` is exactly one interpolation `${ expr }`, the expression inside; otherwise undefined.
 * `${a}-${b}` is two interpolations and so not one.
 */
export function wholeInterpolation(text: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  const end = matchInterpolation(text, 0);
  return end === text.length ? text.slice(2, -1).trim() : undefined;
}

/** Index just past the `}` closing the interpolation that starts at `start` (`${`), or -1. */
function matchInterpolation(text: string, start: number): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipHclString(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** Index just past the closing quote of the HCL string starting at `start`, or -1. */
function skipHclString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = matchInterpolation(text, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    i++;
  }
  return -1;
}

/** `${data.aws_iam_policy_document.<name>.json}` (or `.minified_json`) → name. */
export function policyDocumentReference(text: string): string | undefined {
  const expr = wholeInterpolation(text);
  const m = expr === undefined ? null : /^data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:json|minified_json)$/.exec(expr);
  return m?.[1];
}

/** `${aws_kms_key.<name>.id}` (or `.key_id`, `.arn`) → the resource's type and name. */
export function resourceReference(text: string): { type: string; name: string } | undefined {
  const expr = wholeInterpolation(text);
  const m = expr === undefined ? null : /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+$/.exec(expr);
  return m ? { type: m[1]!, name: m[2]! } : undefined;
}

export type JsonencodeResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Reads `${jsonencode(<expr>)}` into a JSON value. Returns undefined when `text` is not that shape;
 * `{ ok: false }` when it is but the expression is not something this reader follows.
 */
export function readJsonencode(text: string): JsonencodeResult | undefined {
  const expr = wholeInterpolation(text);
  if (expr === undefined || !/^jsonencode\s*\(/.test(expr) || !expr.endsWith(')')) return undefined;
  const inner = expr.slice(expr.indexOf('(') + 1, -1);
  try {
    const parser = new HclParser(inner);
    const value = parser.parseExpression();
    parser.expectEnd();
    return { ok: true, value };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

class HclParser {
  private i = 0;
  constructor(private readonly s: string) {}

  expectEnd(): void {
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected ${JSON.stringify(this.s.slice(this.i, this.i + 12))}`);
  }

  private fail(message: string): never {
    throw new Error(`${message} at offset ${this.i} of the jsonencode expression`);
  }

  private ws(newlines = true): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.i++;
      else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else if (c === '/' && this.s[this.i + 1] === '*') {
        const end = this.s.indexOf('*/', this.i + 2);
        this.i = end < 0 ? this.s.length : end + 2;
      } else return;
    }
  }

  parseExpression(): unknown {
    this.ws();
    const start = this.i;
    const value = this.parsePrimary();
    this.ws(false);
    // A literal followed by an operator (`"a" == x ? ...`) is not a literal after all.
    const next = this.s[this.i];
    if (next !== undefined && !/[,\]})\n:=]/.test(next)) {
      this.i = start;
      return this.opaque();
    }
    return value;
  }

  private parsePrimary(): unknown {
    const c = this.s[this.i];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseTuple();
    if (c === '"') return this.parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        return Number(m[0]);
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      const after = this.s[this.i + word.length];
      if (after === undefined || !/[A-Za-z0-9_.\[(-]/.test(after)) {
        this.i += word.length;
        return word === 'null' ? null : word === 'true';
      }
    }
    return this.opaque();
  }

  /** An expression this reader does not evaluate: its source text, wrapped as an unknown `${...}`. */
  private opaque(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '"') {
        const end = skipHclString(this.s, this.i);
        if (end < 0) this.fail('unterminated string');
        this.i = end;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (c === ',' || c === '\n')) break;
      this.i++;
    }
    const text = this.s.slice(start, this.i).trim();
    if (text === '') this.fail('expected an expression');
    const bare = text.replace(/\s+/g, ' ');
    return CALLER_ACCOUNT_BARE.test(bare) ? OWN_ACCOUNT_MARKER : '${' + bare + '}';
  }

  private parseObject(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      let key: string;
      const c = this.s[this.i];
      if (c === '"') {
        const k = this.parseString();
        key = k;
      } else if (c === '(') {
        // A computed key, `(local.name) = ...`: its value is not knowable here.
        const k = this.opaque();
        key = k;
      } else {
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
        if (!m) this.fail('expected an object key');
        key = m[0];
        this.i += key.length;
      }
      this.ws();
      const sep = this.s[this.i];
      if (sep !== '=' && sep !== ':') this.fail("expected '=' or ':' after an object key");
      this.i++;
      out[key] = this.parseExpression();
      this.ws(false);
      if (this.s[this.i] === ',' || this.s[this.i] === '\n') this.i++;
      else {
        this.ws();
        if (this.s[this.i] !== '}') this.fail("expected ',' or '}' in an object");
      }
    }
  }

  private parseTuple(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      if (this.s.startsWith('for ', this.i)) this.fail('a for expression');
      out.push(this.parseExpression());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail("expected ',' or ']' in a tuple");
    }
  }

  /** A quoted template. Interpolations stay in the text as `${...}`; `$${` is a literal `${`. */
  private parseString(): string {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        this.i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '"':
          case '\\':
            out += e;
            break;
          case 'u':
          case 'U': {
            const n = e === 'u' ? 4 : 8;
            const hex = this.s.slice(this.i, this.i + n);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail('bad unicode escape');
            out += String.fromCodePoint(parseInt(hex, 16));
            this.i += n;
            break;
          }
          default:
            this.fail(`unknown escape \\${e ?? ''}`);
        }
        continue;
      }
      if ((c === '$' || c === '%') && this.s[this.i + 1] === c && this.s[this.i + 2] === '{') {
        // `$${` and `%%{` escape a literal `${` / `%{`; the literal is not a reference.
        out += c + '{';
        this.i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && this.s[this.i + 1] === '{') {
        const end = matchInterpolation(this.s, this.i);
        if (end < 0) this.fail('unterminated interpolation');
        const piece = this.s.slice(this.i, end);
        // A directive (`%{ if ... }`) makes the text depend on its inputs: unknown, like a reference.
        out += c === '%' ? '${' + piece.slice(2) : substituteCallerAccount(piece);
        this.i = end;
        continue;
      }
      out += c;
      this.i++;
    }
  }
}

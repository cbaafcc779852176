/**
 * CloudFormation YAML, read with the `yaml` package (which keeps the source range of every node and
 * accepts CloudFormation's short-form tags). Loaded only when a YAML file is read: the package costs
 * start-up time that a run over JSON policies should not pay.
 */
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode, parseDocument } from 'yaml';
import type { IacMember, IacValue, InputProblem } from '../model.js';
import { LineIndex } from '../positions.js';

/** YAML text → IacValue, short-form tags written out as their long form (`!Ref X` → `{"Ref": "X"}`). */
export function readYaml(text: string, file: string): { value?: IacValue; problems: InputProblem[] } {
  const index = new LineIndex(file, text);
  const doc = parseDocument(text, { strict: false, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const problems: InputProblem[] = doc.errors.slice(0, 20).map((e) => ({
    code: 'parse-error' as const,
    message: `${file}: YAML syntax error: ${e.message.split('\n')[0]}`,
    at: index.at(e.pos[0]),
  }));
  const convert = (node: unknown, depth: number): IacValue => {
    const n = node as YamlNode | null;
    const at = index.at(n?.range?.[0] ?? 0);
    if (depth > 256) return { kind: 'unknown', expr: 'nesting deeper than 256 levels', at };
    let value: IacValue;
    if (n === null || n === undefined) value = { kind: 'literal', value: null, at };
    else if (isMap(n)) {
      const members: IacMember[] = [];
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
        members.push({ key, value: convert(pair.value, depth + 1), at: index.at(keyNode?.range?.[0] ?? n.range?.[0] ?? 0) });
      }
      value = { kind: 'object', members, at };
    } else if (isSeq(n)) value = { kind: 'tuple', items: n.items.map((i) => convert(i, depth + 1)), at };
    else if (isScalar(n)) {
      const v = n.value;
      value = { kind: 'literal', value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v), at };
    } else if (isAlias(n)) {
      value = convert(n.resolve(doc), depth + 1);
    } else value = { kind: 'unknown', expr: 'an unsupported YAML node', at };
    const tag = n && 'tag' in n ? (n as { tag?: string }).tag : undefined;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
      const name = tag.slice(1);
      const long = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
      return { kind: 'object', members: [{ key: long, value, at }], at };
    }
    return value;
  };
  if (doc.contents === null) return { problems };
  return { value: convert(doc.contents, 0), problems };
}


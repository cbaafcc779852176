/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning. Every rule of the registry is listed once
 * in tool.driver.rules, with its metadata; results cite it by ruleIndex. Locations are relative to
 * the working directory with forward slashes (what code scanning resolves against the checkout),
 * and partialFingerprints identify a finding by rule, file, resource and pointer, so an alert
 * survives lines moving.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { relativePath } from '../config.js';
import type { Finding, Rule, Severity } from '../types.js';

export const INFORMATION_URI = 'https://github.com/kmskit/kmskit';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub ranks security alerts by this score (CVSS-like, as text). */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  /** The rules to list; findings of a rule missing here are listed with minimal metadata. */
  rules: readonly Rule[];
  version: string;
  /** Base for relative URIs; defaults to process.cwd(). */
  cwd?: string;
  /** Notes about the run (skipped files), reported as tool execution notifications. */
  notifications?: readonly string[];
}

const pascal = (id: string): string => id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function ruleDescriptor(rule: Pick<Rule, 'id' | 'severity' | 'group' | 'docs'>): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    tags: [rule.group],
    precision: 'high',
    'problem.severity': rule.severity === 'info' ? 'recommendation' : rule.severity,
  };
  if (rule.group === 'security') properties['security-severity'] = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: rule.docs.rationale },
    help: {
      text: `${rule.docs.summary}\n\n${rule.docs.rationale}`,
      markdown: `**${rule.id}** (${rule.group}, default ${rule.severity}): ${rule.docs.summary}\n\n${rule.docs.rationale}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties,
  };
}

export function fingerprint(f: Finding, uri: string): string {
  return createHash('sha256').update([f.ruleId, uri, f.resource ?? '', f.pointer].join('\0')).digest('hex').slice(0, 32);
}

/** `--format sarif`: SARIF 2.1.0 for GitHub code scanning (see the module comment). */
export function formatSarif(result: { findings: readonly Finding[] }, options: SarifOptions): string {
  const cwd = options.cwd ?? process.cwd();
  const descriptors: Record<string, unknown>[] = [];
  const index = new Map<string, number>();
  for (const rule of options.rules) {
    if (index.has(rule.id)) continue;
    index.set(rule.id, descriptors.length);
    descriptors.push(ruleDescriptor(rule));
  }
  const indexOf = (f: Finding): number => {
    let i = index.get(f.ruleId);
    if (i === undefined) {
      // e.g. rule-error, which the engine reports about a rule that threw.
      i = descriptors.length;
      index.set(f.ruleId, i);
      descriptors.push(ruleDescriptor({ id: f.ruleId, severity: f.severity, group: 'grammar', docs: { summary: f.ruleId, rationale: 'Reported by the kmskit engine.' } }));
    }
    return i;
  };
  const results = result.findings.map((f) => {
    const rel = relativePath(f.file, cwd);
    const outside = rel.startsWith('../') || rel === '..' || isAbsolute(rel);
    const artifactLocation = outside ? { uri: pathToFileURL(resolve(cwd, f.file)).href } : { uri: encodeURI(rel), uriBaseId: '%SRCROOT%' };
    const location: Record<string, unknown> = {
      physicalLocation: { artifactLocation, region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) } },
    };
    if (f.resource !== undefined) location.logicalLocations = [{ fullyQualifiedName: f.resource, kind: 'resource' }];
    const properties: Record<string, unknown> = { pointer: f.pointer };
    if (f.sid !== undefined) properties.sid = f.sid;
    return {
      ruleId: f.ruleId,
      ruleIndex: indexOf(f),
      level: LEVEL[f.severity],
      message: { text: f.resource !== undefined ? `${f.resource}: ${f.message}` : f.message },
      locations: [location],
      partialFingerprints: { 'kmskitFinding/v1': fingerprint(f, rel) },
      properties,
    };
  });
  const invocation: Record<string, unknown> = { executionSuccessful: true };
  if (options.notifications && options.notifications.length > 0) {
    invocation.toolExecutionNotifications = options.notifications.map((text) => ({ level: 'warning', message: { text } }));
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kmskit',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
        invocations: [invocation],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

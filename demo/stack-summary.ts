/** What `cdktf synth` wrote: each stack's cdk.tf.json and how many KMS and other resources it declares. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StackSummary {
  name: string;
  file: string;
  kms: number;
  other: number;
}

export function listStackResources(outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).map(([name, s]) => {
    const file = join(outdir, s.synthesizedStackPath);
    const tf = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    let kms = 0;
    let other = 0;
    for (const [type, byName] of Object.entries(tf.resource ?? {})) {
      const n = Object.keys(byName).length;
      if (type.startsWith('aws_kms_')) kms += n;
      else other += n;
    }
    return { name, file, kms, other };
  });
}

import type { Rule } from '../types.js';

/**
 * Reported by the reader (iac/), not by a check: a Terraform, CloudFormation or Terraform JSON file
 * with a syntax error. In the registry for RULES.md and the SARIF rule list.
 */
export const rule: Rule = {
  id: 'parse-error',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A Terraform (HCL or JSON), CloudFormation (JSON or YAML) or plan/state file has a syntax error.',
    rationale:
      'Terraform and CloudFormation reject the file, and what follows the error may not be what its author meant. The finding is placed where the parser stopped; the rest of the file is still read, so key policies in it are still judged.',
  },
  check() {
    return [];
  },
};

/** A logical plan as an indented tree, Spark style, for explain(). */
import { exprText, sortKeyText } from './expr-text.js';
import { planChildren } from './expr-walk.js';
import type { LogicalPlan } from './types.js';

const list = (items: string[]) => `[${items.join(', ')}]`;

function paths(plan: Extract<LogicalPlan, { op: 'scan' }>): string {
  const shown = plan.source.paths.slice(0, 3).join(', ');
  return plan.source.paths.length > 3 ? `${shown}, ... (${plan.source.paths.length} paths)` : shown;
}

export function describeNode(plan: LogicalPlan): string {
  switch (plan.op) {
    case 'scan': {
      const parts = [`Scan ${plan.source.format} ${paths(plan)} (${plan.source.files.length} files)`];
      parts.push(`columns=${list(plan.projection ?? plan.schema.fields.map((f) => f.name))}`);
      if (plan.filters.length) parts.push(`filters=${list(plan.filters.map(exprText))}`);
      return parts.join(' ');
    }
    case 'values':
      return `Values ${plan.rowCount} rows ${list(plan.schema.fields.map((f) => f.name))}`;
    case 'range':
      return `Range (${plan.start}, ${plan.end}, step=${plan.step})`;
    case 'project':
      return `Project ${list(plan.exprs.map(exprText))}`;
    case 'filter':
      return `Filter ${exprText(plan.predicate)}`;
    case 'aggregate':
      return `Aggregate ${list(plan.groupBy.map(exprText))} ${list(plan.aggs.map(exprText))}`;
    case 'join':
      return `Join ${plan.type}${plan.condition ? ` ${exprText(plan.condition)}` : ''}`;
    case 'sort':
      return `Sort ${list(plan.keys.map(sortKeyText))}`;
    case 'limit':
      return `Limit ${plan.limit}${plan.offset ? ` offset ${plan.offset}` : ''}`;
    case 'distinct':
      return 'Distinct';
    case 'union':
      return `Union${plan.all ? ' all' : ''}${plan.byName ? ' by name' : ''}`;
    case 'repartition':
      return `Repartition ${plan.numPartitions}${plan.keys.length ? ` by ${list(plan.keys.map(exprText))}` : ''}`;
    case 'window':
      return `Window ${list(plan.windows.map(exprText))}`;
    case 'alias':
      return `SubqueryAlias ${plan.alias}`;
    case 'opaque':
      return `Opaque (${plan.reason}) inputs=${list(Object.keys(plan.inputs))}`;
  }
}

export function describePlan(plan: LogicalPlan): string {
  const lines: string[] = [];
  const visit = (node: LogicalPlan, prefix: string, childPrefix: string) => {
    lines.push(`${prefix}${describeNode(node)}`);
    const children = planChildren(node);
    children.forEach((c, i) => {
      const last = i === children.length - 1;
      visit(c, `${childPrefix}+- `, `${childPrefix}${last ? '   ' : ':  '}`);
    });
  };
  visit(plan, '', '');
  return lines.join('\n');
}

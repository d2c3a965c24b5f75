/** Temporary views by name (case-insensitive, like DuckDB), for spark.sql() and spark.table(). */
import { AnalysisError } from '../plan/errors.js';
import type { LogicalPlan } from '../plan/types.js';

export interface TableInfo {
  name: string;
  isTemporary: boolean;
  columns: string[];
}

export class Catalog {
  private readonly views = new Map<string, { name: string; plan: LogicalPlan }>();

  register(name: string, plan: LogicalPlan): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new AnalysisError(`view name '${name}' must be a plain identifier (letters, digits, _)`);
    this.views.set(name.toLowerCase(), { name, plan });
  }

  lookup(name: string): LogicalPlan | undefined {
    return this.views.get(name.toLowerCase())?.plan;
  }

  /** The view's plan, or an AnalysisError listing the views that exist. */
  require(name: string): LogicalPlan {
    const plan = this.lookup(name);
    if (!plan) throw new AnalysisError(`table or view '${name}' not found; available: ${this.names().join(', ') || '(none)'}`);
    return plan;
  }

  names(): string[] {
    return [...this.views.values()].map((v) => v.name);
  }

  listTables(): TableInfo[] {
    return [...this.views.values()].map((v) => ({ name: v.name, isTemporary: true, columns: v.plan.schema.fields.map((f) => f.name) }));
  }

  tableExists(name: string): boolean {
    return this.views.has(name.toLowerCase());
  }

  dropTempView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }
}

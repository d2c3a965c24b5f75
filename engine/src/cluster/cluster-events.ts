/** The master's live cluster events (GET /api/cluster/events) and its bounded log of scaling decisions. */
import type { ClusterEvent, ScalingDecision } from './types.js';

const MAX_DECISIONS = 200;

export class ClusterEvents {
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  readonly decisions: ScalingDecision[] = [];

  subscribe(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  decide(decision: Omit<ScalingDecision, 'at'>): ScalingDecision {
    const logged = { at: new Date().toISOString(), ...decision };
    this.decisions.push(logged);
    if (this.decisions.length > MAX_DECISIONS) this.decisions.shift();
    console.error(`quire master: scaling ${logged.action} ${logged.role} ${logged.workerIds.join(',') || '-'}: ${logged.reason}`);
    this.publish({ type: 'scaling', decision: logged });
    return logged;
  }
}

// The run's past in bounded memory: snapshots `{ iteration, progress,
// settings }` of the current run (the engine's progress(): parameters,
// moments, counts; the settings of training in force from there on).
// Every DENSE_GAP iterations or so over the last DENSE_SPAN, sparser before
// (an older snapshot is at least its age / SPARSENESS from its neighbours),
// never more than MAX_SNAPSHOTS (the oldest go first). Any iteration since
// the timeline's start is reached exactly by set_progress from the nearest
// snapshot at or before it and step() under that snapshot's settings: the
// engine trains on bit for bit from a progress. A change of the settings of
// training takes a snapshot there (mark), which thinning keeps, so no
// replay crosses one; anything else (points, weights) starts the timeline
// again from there (restart).

/** Iterations back that keep dense snapshots. */
export const DENSE_SPAN = 4096;
/** Iterations between snapshots at least: what a replay costs at most in the dense span. */
const DENSE_GAP = 16;
/** Older snapshots lie at least (their age / SPARSENESS) iterations apart. */
const SPARSENESS = 32;
const MAX_SNAPSHOTS = 512;

export class Timeline {
  constructor() {
    /** @type {{ iteration: number, progress: Float64Array, settings: Readonly<Record<string, any>> }[]} oldest first */
    this.snapshots = [];
  }

  /** The first iteration the timeline reaches. */
  get start() {
    return this.snapshots[0]?.iteration ?? 0;
  }

  /** Starts again from `planar`'s current iteration under `settings`: what came before cannot be replayed. */
  restart(planar, settings) {
    this.snapshots = [snapshotOf(planar, settings)];
  }

  /** The settings of training change at `planar`'s current iteration: a snapshot there starts their stretch. */
  mark(planar, settings) {
    const iteration = planar.iteration();
    this.truncate(iteration);
    if (this.snapshots.at(-1)?.iteration === iteration) this.snapshots.pop();
    this.snapshots.push(snapshotOf(planar, settings));
    this.thin(iteration);
  }

  /**
   * After training under `settings` (the last snapshot's): keeps `planar`'s
   * progress when it is far enough from the last snapshot, and thins the old ones.
   */
  record(planar, settings) {
    const iteration = planar.iteration();
    this.truncate(iteration);
    const last = this.snapshots.at(-1);
    if (!last) {
      this.restart(planar, settings);
      return;
    }
    if (iteration - last.iteration < DENSE_GAP) return;
    this.snapshots.push(snapshotOf(planar, last.settings));
    this.thin(iteration);
  }

  /** Forgets the snapshots after `iteration` (a run taken back there goes on differently). */
  truncate(iteration) {
    while (this.snapshots.length > 1 && this.snapshots.at(-1).iteration > iteration) this.snapshots.pop();
  }

  /** The latest snapshot at or before `iteration`, or null. */
  nearest(iteration) {
    let low = 0;
    let high = this.snapshots.length - 1;
    if (high < 0 || this.snapshots[0].iteration > iteration) return null;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.snapshots[middle].iteration <= iteration) low = middle;
      else high = middle - 1;
    }
    return this.snapshots[low];
  }

  /**
   * Drops old snapshots whose neighbours are close enough for their age;
   * the first and last stay, and so does each that starts a stretch of new settings.
   */
  thin(now) {
    const list = this.snapshots;
    let i = 1;
    while (i < list.length - 1) {
      const age = now - list[i].iteration;
      const starts = list[i].settings !== list[i - 1].settings;
      if (!starts && age > DENSE_SPAN && list[i + 1].iteration - list[i - 1].iteration <= age / SPARSENESS) list.splice(i, 1);
      else i += 1;
    }
    // Beyond the bound (many changes of settings), the oldest go: the timeline starts later.
    if (list.length > MAX_SNAPSHOTS) list.splice(0, list.length - MAX_SNAPSHOTS);
  }
}

function snapshotOf(planar, settings) {
  return { iteration: planar.iteration(), progress: planar.progress(), settings };
}

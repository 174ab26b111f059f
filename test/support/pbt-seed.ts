import type fc from 'fast-check';

export type PbtParameters = fc.Parameters<unknown> & { seed: number; numRuns: number };

/**
 * fast-check parameters of a protocol property: PBT_SEED (and PBT_PATH, both printed by a failure
 * report) replay a failure exactly; otherwise every run draws a fresh seed, which the caller
 * prints. PBT_RUNS overrides the number of runs, e.g. for a longer soak.
 */
export function pbtParameters(defaultRuns: number): PbtParameters {
  const seed = intFrom('PBT_SEED') ?? (Date.now() ^ Math.floor(Math.random() * 2 ** 32)) | 0;
  const numRuns = intFrom('PBT_RUNS') ?? defaultRuns;
  const path = process.env.PBT_PATH;
  return path ? { seed, numRuns, path } : { seed, numRuns };
}

function intFrom(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${text}`);
  return value;
}

/** What a property ran, for the one summary line CI logs keep. */
export class PbtTally {
  runs = 0;
  frames = 0;

  constructor(
    private readonly name: string,
    private readonly seed: number,
  ) {}

  count(frames: number): void {
    this.runs++;
    this.frames += frames;
  }

  /** One line: replaying a run needs only the seed printed here (and PBT_PATH from a failure). */
  print(): void {
    console.log(
      `${this.name}: seed ${this.seed} (PBT_SEED=${this.seed} replays it), ` +
        `${this.runs} runs (shrinking included), ${this.frames} frames`,
    );
  }
}

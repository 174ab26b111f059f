import { availableCpus, cpuQuota, type ReadFile } from './available-cpus.util.js';

/** A cgroup filesystem holding exactly `files`; any other path does not exist. */
function cgroup(files: Record<string, string>): ReadFile {
  return (path) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return files[path];
  };
}

const V2 = '/sys/fs/cgroup/cpu.max';
const V1_QUOTA = '/sys/fs/cgroup/cpu/cpu.cfs_quota_us';
const V1_PERIOD = '/sys/fs/cgroup/cpu/cpu.cfs_period_us';

describe(cpuQuota.name, () => {
  it.each([
    ['a cgroup v2 limit of 2.5 CPUs', { [V2]: '250000 100000\n' }, 2.5],
    ['cgroup v2 without a limit', { [V2]: 'max 100000\n' }, undefined],
    ['a cgroup v1 limit of 1.5 CPUs', { [V1_QUOTA]: '150000\n', [V1_PERIOD]: '100000\n' }, 1.5],
    ['cgroup v1 without a limit', { [V1_QUOTA]: '-1\n', [V1_PERIOD]: '100000\n' }, undefined],
    ['cgroup v1 with a period missing', { [V1_QUOTA]: '150000\n' }, undefined],
    ['no cgroup at all', {}, undefined],
    ['a file that is not numbers', { [V2]: 'garbage\n' }, undefined],
  ])('reads %s', (_, files, expected) => {
    expect(cpuQuota(cgroup(files))).toBe(expected);
  });
});

describe(availableCpus.name, () => {
  it('is the CPU count when there is no quota', () => {
    expect(availableCpus(8, cgroup({ [V2]: 'max 100000' }))).toBe(8);
  });

  it('is the quota rounded up when it is below the CPU count', () => {
    expect(availableCpus(64, cgroup({ [V2]: '150000 100000' }))).toBe(2);
  });

  it('is the CPU count when the quota allows more', () => {
    expect(availableCpus(2, cgroup({ [V2]: '800000 100000' }))).toBe(2);
  });

  it('is at least 1 for a quota of a fraction of a CPU', () => {
    expect(availableCpus(4, cgroup({ [V1_QUOTA]: '10000', [V1_PERIOD]: '100000' }))).toBe(1);
  });
});

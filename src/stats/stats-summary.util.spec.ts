import fc from 'fast-check';
import { pbtParameters } from '../../test/support/pbt-seed.js';
import { SEP } from './stats-key.util.js';
import { tallyProject, tallyStats } from './stats-summary.util.js';

const key = (level: string, project: string, system = 's', module = 'm') =>
  [level, project, system, module].join(SEP);
const at = (minute: number) => new Date(minute * 60_000).toISOString();

describe(tallyStats.name, () => {
  it('counts one level only when asked, and lists every minute of the window with series', () => {
    // Arrange
    const tally = tallyStats({ fromMinute: 10, toMinute: 13, level: 'error', series: true });

    // Act
    tally.visit(10, key('error', 'a'), 2);
    tally.visit(10, key('info', 'a'), 5);
    tally.visit(12, key('error', 'b'), 1);
    tally.visit(12, key('error', 'a'), 3);

    // Assert
    expect(tally.result()).toEqual({
      total: 6,
      byLevel: { error: 6 },
      byProject: { a: 5, b: 1 },
      series: [
        { at: at(10), total: 2, byLevel: { error: 2 } },
        { at: at(11), total: 0, byLevel: {} },
        { at: at(12), total: 4, byLevel: { error: 4 } },
      ],
    });
  });

  it('has no series unless asked, and keeps labels such as __proto__ as data', () => {
    const tally = tallyStats({ fromMinute: 0, toMinute: 5, series: false });
    tally.visit(1, key('info', '__proto__'), 1);

    const result = tally.result();

    expect(result.series).toBeUndefined();
    expect(Object.keys(result.byProject)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      total: 1,
      byLevel: { info: 1 },
      byProject: JSON.parse('{"__proto__":1}'),
    });
  });
});

describe(tallyProject.name, () => {
  it("counts that project's entries only, per minute by level", () => {
    const tally = tallyProject({ fromMinute: 5, toMinute: 7, series: true }, 'a');

    tally.visit(5, key('info', 'a', 'web', 'Login'), 1);
    tally.visit(6, key('error', 'a', 'api', 'Pay'), 2);
    tally.visit(6, key('error', 'b'), 9);

    expect(tally.result()).toEqual({
      project: 'a',
      total: 3,
      byLevel: { info: 1, error: 2 },
      bySystem: { web: 1, api: 2 },
      byModule: { Login: 1, Pay: 2 },
      series: [
        { at: at(5), total: 1, byLevel: { info: 1 } },
        { at: at(6), total: 2, byLevel: { error: 2 } },
      ],
    });
  });
});

describe('tallies (property)', () => {
  it('agree with a naive sum for any counts, levels and windows, and the series adds up', () => {
    const level = fc.constantFrom('info', 'warning', 'error');
    const visit = fc.record({
      minute: fc.integer({ min: 0, max: 12 }),
      level,
      project: fc.constantFrom('a', 'b', '__proto__', 'constructor', '(other)'),
      count: fc.integer({ min: 1, max: 1000 }),
    });
    const query = fc.record({
      fromMinute: fc.integer({ min: 0, max: 6 }),
      span: fc.integer({ min: 0, max: 8 }),
      level: fc.option(level, { nil: undefined }),
      series: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(visit, { maxLength: 40 }), query, (visits, q) => {
        const window = {
          fromMinute: q.fromMinute,
          toMinute: q.fromMinute + q.span,
          series: q.series,
          ...(q.level ? { level: q.level } : {}),
        };
        const tally = tallyStats(window);
        // A store visits only the window's minutes.
        const inside = visits.filter(
          (v) => v.minute >= window.fromMinute && v.minute < window.toMinute,
        );
        for (const v of inside) tally.visit(v.minute, key(v.level, v.project), v.count);
        const result = tally.result();

        const wanted = inside.filter((v) => q.level === undefined || v.level === q.level);
        expect(result.total).toBe(wanted.reduce((n, v) => n + v.count, 0));
        for (const p of new Set(wanted.map((v) => v.project))) {
          const n = wanted.filter((v) => v.project === p).reduce((s, v) => s + v.count, 0);
          expect(result.byProject[p]).toBe(n);
        }
        if (!q.series) return expect(result.series).toBeUndefined();
        expect(result.series?.length).toBe(q.span);
        expect(result.series?.reduce((n, point) => n + point.total, 0)).toBe(result.total);
      }),
      pbtParameters(300),
    );
  });
});

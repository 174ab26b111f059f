import { DomainError } from '../common/domain.error.js';
import { parseStatsQuery } from './stats-query.util.js';

const NOW = Date.parse('2026-01-21T10:30:30Z');
const minute = (iso: string) => Date.parse(iso) / 60_000;

describe(parseStatsQuery.name, () => {
  it('defaults to the last 24 hours, in whole minutes', () => {
    expect(parseStatsQuery({}, NOW)).toEqual({
      fromMinute: minute('2026-01-20T10:30:00Z'),
      toMinute: minute('2026-01-21T10:31:00Z'),
      series: false,
    });
  });

  it('rounds from down and to up, and clips to the retention and the current minute', () => {
    expect(
      parseStatsQuery({ from: '2026-01-21T10:00:10Z', to: '2026-01-21T10:05:10Z' }, NOW),
    ).toEqual({
      fromMinute: minute('2026-01-21T10:00:00Z'),
      toMinute: minute('2026-01-21T10:06:00Z'),
      series: false,
    });
    expect(
      parseStatsQuery({ from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z' }, NOW),
    ).toEqual({
      fromMinute: minute('2026-01-13T10:30:00Z'),
      toMinute: minute('2026-01-21T10:31:00Z'),
      series: false,
    });
  });

  it('takes one level and series=minute', () => {
    expect(
      parseStatsQuery({ from: '2026-01-21T10:00:00Z', level: 'error', series: 'minute' }, NOW),
    ).toEqual({
      fromMinute: minute('2026-01-21T10:00:00Z'),
      toMinute: minute('2026-01-21T10:31:00Z'),
      level: 'error',
      series: true,
    });
  });

  it.each([
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-01-21' }, 'to'],
    [{ from: '2026-01-21T11:00:00Z', to: '2026-01-21T10:00:00Z' }, 'from'],
    [{ from: ['a', 'b'] }, 'from'],
    [{ limit: '5' }, 'limit'],
    [{ level: 'fatal' }, 'level'],
    [{ level: 'Error' }, 'level'],
    [{ series: 'hour' }, 'series'],
    [{ series: ['minute', 'minute'] }, 'series'],
  ])('rejects %j naming %s', (raw, name) => {
    let error: unknown;
    try {
      parseStatsQuery(raw, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(400);
    expect((error as DomainError).errors?.[0].field).toBe(name);
  });
});

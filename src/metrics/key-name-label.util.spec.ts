import { addByKeyName, OTHER_KEY_NAME } from './key-name-label.util.js';

describe(addByKeyName.name, () => {
  it('gives the first `max` names their own label and folds later ones into "other"', () => {
    // Arrange
    const totals = new Map<string, number>();

    // Act
    addByKeyName(totals, 'a', 2, 2);
    addByKeyName(totals, 'b', 3, 2);
    addByKeyName(totals, 'c', 5, 2);
    addByKeyName(totals, 'd', 7, 2);
    addByKeyName(totals, 'a', 1, 2);

    // Assert
    expect([...totals]).toEqual([
      ['a', 3],
      ['b', 3],
      [OTHER_KEY_NAME, 12],
    ]);
  });

  it('never has more than max + 1 labels, whatever the names (10,000 distinct users)', () => {
    const totals = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) addByKeyName(totals, `user-${i}`, 1, 100);
    expect(totals.size).toBe(101);
    expect([...totals.values()].reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(totals.get(OTHER_KEY_NAME)).toBe(9_900);
  });

  it('counts a key literally named "other" under "other" without taking a slot', () => {
    const totals = new Map<string, number>();
    addByKeyName(totals, OTHER_KEY_NAME, 1, 1);
    addByKeyName(totals, 'a', 1, 1);
    expect([...totals]).toEqual([
      [OTHER_KEY_NAME, 1],
      ['a', 1],
    ]);
  });
});

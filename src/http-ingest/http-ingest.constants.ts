/**
 * Non-blank lines (or array elements) of one POST /logs body; more gets 413. Bounds what one
 * body can cost beyond its bytes: 100,000 rejections are a few tens of MB, answered in one go.
 */
export const MAX_ENTRIES_PER_REQUEST = 100_000;

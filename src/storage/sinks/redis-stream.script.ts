/**
 * The `redis` sink's one command per write (EVALSHA, loaded by ioredis on first use).
 *
 * KEYS[1] the stream, KEYS[2] this writer's mark: the highest `seq` of its groups in the stream.
 * ARGV: MAXLEN, mark TTL (s), writer, group count G, then G pairs (seq, entry count), then the
 * entries of every group in order.
 *
 * A group whose seq is not above the mark is skipped whole, otherwise its entries are XADDed
 * (fields `entry` = the stored JSON and `id` = the entry id) and the mark moves to its seq. This
 * is exactly-once because a script runs atomically (a group is stored whole or not at all) and
 * one writer's groups arrive in seq order (EntryGroup), so "seq ≤ mark" means "already stored".
 * Other instances have other writer ids and marks, so any number can share the stream.
 */
export const APPEND_GROUPS_LUA = `
local mark = tonumber(redis.call('GET', KEYS[2]) or '0')
local maxlen, writer, groups = ARGV[1], ARGV[3], tonumber(ARGV[4])
local pos = 5 + 2 * groups
local added = 0
for g = 0, groups - 1 do
  local seqText = ARGV[5 + 2 * g]
  local seq, n = tonumber(seqText), tonumber(ARGV[6 + 2 * g])
  if seq > mark then
    local prefix = writer .. '.' .. seqText .. '.'
    for i = 0, n - 1 do
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', 'entry', ARGV[pos + i], 'id', prefix .. i)
    end
    mark = seq
    added = added + n
  end
  pos = pos + n
end
redis.call('SET', KEYS[2], mark, 'EX', ARGV[2])
return added
`;

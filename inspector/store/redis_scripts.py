"""The Lua scripts that change the shared history in Redis, each atomic.

Keys (all under one prefix): `meta` (hash: instance, bounds, schema, and the epoch the
instances agreed on), `next` (the highest id given), `ids` (sorted set of stored ids), `bytes`
(stored bytes), `dedupe` (hash: dedupe key -> the first id stored with it), `req:<id>` (hash:
the record's JSON document and raw blobs), `log` (a stream of changes: `kind` request | update
| delete | clear and the `id`), `floors` (hash: each instance -> the highest id it has given or
seen, and when it said so) and `expected` (set: the instances an agreement waits for). Every
instance follows `log` with XREAD, so all of them see every change in one order; ids are given
inside the script that stores the record, so that order is ascending by id.

Records are referenced, not copied, in the log: an instance reads the record itself once it
sees the entry (the newest version wins, which is what a late reader wants anyway).
"""

from __future__ import annotations

# The Redis process's name: new at every start, whatever it loaded from disk.
_RUN_ID = "string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')"

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 record key prefix, 2 log length.
_FORGET = """
local function forget(id)
  local record = ARGV[1] .. id
  local fields = redis.call('HMGET', record, 'size', 'key')
  if not fields[1] then return false end
  if fields[2] and fields[2] ~= '' and redis.call('HGET', KEYS[3], fields[2]) == tostring(id) then
    redis.call('HDEL', KEYS[3], fields[2])
  end
  redis.call('DEL', record)
  redis.call('ZREM', KEYS[1], id)
  redis.call('DECRBY', KEYS[2], tonumber(fields[1]))
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'delete', 'id', id)
  return true
end
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log, 5 next, 6 this batch's marker, 7 meta.
# ARGV: 1 prefix, 2 log length, 3 the highest id the instance has given or seen, 4 max
# requests, 5 max bytes, 6 the epoch it agreed to, then per record: document, header block,
# body, trailer block, size, dedupe key, numbered.
# A batch sent again after a lost reply finds its marker and gets the same answer back. No id
# is given outside an agreed epoch, the instance's own, on the Redis process it was agreed on,
# with `next` at least what the instance has seen: else the answer is 'changed' and the
# instance agrees again (JOIN) before it adds.
ADD = _FORGET + """
local done = redis.call('GET', KEYS[6])
if done then return cjson.decode(done) end
local epoch, agreed, run_id = unpack(redis.call('HMGET', KEYS[7], 'epoch', 'agreed', 'run_id'))
local last = tonumber(redis.call('GET', KEYS[5]) or '0')
if epoch ~= ARGV[6] or agreed ~= '1' or last < tonumber(ARGV[3])
   or run_id ~= """ + _RUN_ID + """ then
  return 'changed'
end
local max_requests, max_bytes = tonumber(ARGV[4]), tonumber(ARGV[5])
local answer = {}
for i = 7, #ARGV, 7 do
  last = last + 1
  local key, own_key, original = ARGV[i + 5], '', ''
  if key ~= '' then
    local first = redis.call('HGET', KEYS[3], key)
    if first and redis.call('EXISTS', ARGV[1] .. first) == 1 then
      original = first
    else
      redis.call('HSET', KEYS[3], key, last)
      own_key = key
    end
  end
  redis.call('HSET', ARGV[1] .. last, 'doc', ARGV[i], 'header_block', ARGV[i + 1],
             'body', ARGV[i + 2], 'trailer_block', ARGV[i + 3], 'size', ARGV[i + 4],
             'key', own_key, 'dup', original, 'numbered', ARGV[i + 6])
  redis.call('ZADD', KEYS[1], last, last)
  redis.call('INCRBY', KEYS[2], tonumber(ARGV[i + 4]))
  redis.call('SET', KEYS[5], last)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'request', 'id', last)
  answer[#answer + 1] = last
  answer[#answer + 1] = original
  local count = redis.call('ZCARD', KEYS[1])
  while count > 1 and (count > max_requests
                       or tonumber(redis.call('GET', KEYS[2])) > max_bytes) do
    forget(redis.call('ZRANGE', KEYS[1], 0, 0)[1])
    count = count - 1
  end
end
redis.call('SET', KEYS[6], cjson.encode(answer), 'EX', 600)
return answer
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length, 3 id, then document,
# header block, body, trailer block, size, original id.
REPLACE = """
local record = ARGV[1] .. ARGV[3]
local old = redis.call('HGET', record, 'size')
if not old then return 0 end
redis.call('HSET', record, 'doc', ARGV[4], 'header_block', ARGV[5], 'body', ARGV[6],
           'trailer_block', ARGV[7], 'size', ARGV[8], 'dup', ARGV[9], 'numbered', '0')
redis.call('INCRBY', KEYS[2], tonumber(ARGV[8]) - tonumber(old))
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'update', 'id', ARGV[3])
return 1
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length, then the ids.
DELETE = _FORGET + """
local deleted = 0
for i = 3, #ARGV do
  if forget(ARGV[i]) then deleted = deleted + 1 end
end
return deleted
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length.
CLEAR = """
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for start = 1, #ids, 500 do
  local records = {}
  for i = start, math.min(start + 499, #ids) do records[#records + 1] = ARGV[1] .. ids[i] end
  redis.call('DEL', unpack(records))
end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SET', KEYS[2], 0)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'clear', 'id', 0)
return #ids
"""

# KEYS: 1 meta. ARGV: 1 prefix, 2 log length, 3 key, 4 value.
META = """
redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
return 1
"""

# KEYS: 1 meta, 2 next, 3 floors, 4 expected, 5 log.
# ARGV: 1 the instance's epoch, 2 its name, 3 the highest id it has given or seen, 4 its log
# position, 5 a fresh epoch, 6 how long (s) a silent instance still counts, 7 how long (s) an
# agreement waits at most, 8-12 the meta of a store made anew (instance, generation, schema,
# max requests, max bytes), 13... the instances it heard from lately.
# Run at start, every second, and until agreed after a loss. A new epoch begins when there is
# none (a new or flushed store), when Redis is another process than the one the epoch was
# agreed on (restarted, perhaps from an older snapshot), or when `next` is below what an
# instance of the epoch has seen. Every call raises `next` to the caller's floor; the epoch is
# agreed once every instance it waits for has given its floor, or the wait is over.
# Returns the meta, the floors, `next` as found, the newest log entry, whether the caller's
# log position is still in the log, and the time.
JOIN = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local run_id = """ + _RUN_ID + """
local highest = tonumber(ARGV[3])
local found = redis.call('GET', KEYS[2]) or '0'
local found_next = tonumber(found)
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'instance', ARGV[8], 'generation', ARGV[9], 'schema', ARGV[10],
             'max_requests', ARGV[11], 'max_bytes', ARGV[12])
end
local epoch, agreed_on = unpack(redis.call('HMGET', KEYS[1], 'epoch', 'run_id'))
if not epoch or agreed_on ~= run_id or (epoch == ARGV[1] and found_next < highest) then
  local floors = redis.call('HGETALL', KEYS[3])
  redis.call('DEL', KEYS[3], KEYS[4])
  for i = 1, #floors, 2 do
    if now - tonumber(string.match(floors[i + 1], ':(.*)')) < tonumber(ARGV[6]) then
      redis.call('SADD', KEYS[4], floors[i])
    end
  end
  redis.call('HSET', KEYS[1], 'epoch', ARGV[5], 'run_id', run_id, 'began', now, 'agreed', '0')
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3] .. ':' .. now)
if found_next < highest then redis.call('SET', KEYS[2], ARGV[3]) end
if redis.call('HGET', KEYS[1], 'agreed') ~= '1' then
  for i = 13, #ARGV do redis.call('SADD', KEYS[4], ARGV[i]) end
  local waiting = 0
  for _, name in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    waiting = waiting + 1 - redis.call('HEXISTS', KEYS[3], name)
  end
  if waiting == 0 or now > tonumber(redis.call('HGET', KEYS[1], 'began')) + tonumber(ARGV[7]) then
    redis.call('HSET', KEYS[1], 'agreed', '1')
    redis.call('DEL', KEYS[4])
  end
end
local newest = redis.call('XREVRANGE', KEYS[5], '+', '-', 'COUNT', 1)
local kept = ARGV[4] == '0-0' or #redis.call('XRANGE', KEYS[5], ARGV[4], ARGV[4]) > 0
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[3]), found,
        newest[1] and newest[1][1] or '0-0', kept and 1 or 0, tostring(now)}
"""

# A claim (holding: the one instance that delivers a route's queue): taken when free, renewed
# when already this instance's, for ARGV[2] ms. KEYS: the claim; ARGV: this instance, lease.
CLAIM = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

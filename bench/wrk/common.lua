-- Shared by the registration bench's scripts (bench/registration_wrk.py): each thread counts
-- the answers it got by status, and done() prints one JSON line the driver reads.
local M = {}
local threads = {}

function M.setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function M.count(status)
    ok_count = (ok_count or 0) + ((status == expected) and 1 or 0)
    bad_count = (bad_count or 0) + ((status == expected) and 0 or 1)
    if status ~= expected and first_bad == nil then
        first_bad = status
    end
end

function M.done(summary, latency, requests)
    local ok, bad, first = 0, 0, "none"
    for _, thread in ipairs(threads) do
        ok = ok + (thread:get("ok_count") or 0)
        bad = bad + (thread:get("bad_count") or 0)
        first = thread:get("first_bad") or first
    end
    io.write(string.format(
        '\nBENCH {"requests": %d, "ok": %d, "bad": %d, "first_bad": "%s", "seconds": %.3f, '
        .. '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, '
        .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
        summary.requests, ok, bad, tostring(first), summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.status, summary.errors.timeout))
end

-- application/x-www-form-urlencoded
function M.encode(fields)
    local parts = {}
    for _, pair in ipairs(fields) do
        local value = tostring(pair[2]):gsub("([^%w%-%._~])", function(c)
            return string.format("%%%02X", string.byte(c))
        end)
        table.insert(parts, pair[1] .. "=" .. value)
    end
    return table.concat(parts, "&")
end

return M

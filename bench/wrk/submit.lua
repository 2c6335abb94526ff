-- POST the registration form: each request a new person (a new address) from a new client
-- address (X-Forwarded-For, read through one trusted proxy), with the CSRF cookie and token the
-- driver fetched with a GET of the form (args: cookie, token, ticket type id, run tag).
-- 302 (to "?sent=1") expected.
package.path = package.path .. ";bench/wrk/?.lua"
local common = require("common")
expected = 302
setup = common.setup
done = common.done
local counter = 0

function init(args)
    cookie, token, ticket, tag = args[1], args[2], args[3], args[4]
end

function request()
    -- (wrk calls this once more in the first thread before the run, to check the request
    -- parses, and never sends that one: a counter skipped, no harm here.)
    counter = counter + 1
    local n = id * 1000000 + counter
    local body = common.encode({
        {"csrfmiddlewaretoken", token},
        {"ticket_type", ticket},
        {"email", string.format("wrk-%s-%d@example.org", tag, n)},
        {"name", string.format("Bench Person %d", n)},
        {"country", "JP"},
        {"organization_name", "Bench Cooperative"},
        {"organization_kind", "cooperative"},
        {"language", "en"},
        {"consent", "on"},
    })
    local headers = {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "csrftoken=" .. cookie,
        ["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(counter / 250) % 250, counter % 250),
    }
    return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
    common.count(status)
end

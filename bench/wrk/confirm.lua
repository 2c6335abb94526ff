-- POST "Confirm my email address" for the registrations the submit step made (the tokens,
-- one a line, in the file given as args[3]; thread i of n takes every n-th from the i-th),
-- with a CSRF cookie and token fetched by the driver (args 1-2). 302 (to "My registration")
-- expected. Once a thread has sent each of its tokens it starts over with them (an already
-- confirmed address: a redirect, not counted), so that a request wrk dropped (it formats a new
-- one after a reconnect) is sent again, until the driver sees every address confirmed and stops
-- wrk, or its time is up.
package.path = package.path .. ";bench/wrk/?.lua"
local common = require("common")
expected = 302
setup = common.setup
done = common.done

function init(args)
    cookie, token = args[1], args[2]
    local nthreads = tonumber(args[4])
    tokens, index = {}, 0
    local line_no = 0
    for line in io.lines(args[3]) do
        if line_no % nthreads == id - 1 then
            table.insert(tokens, line)
        end
        line_no = line_no + 1
    end
    body = "csrfmiddlewaretoken=" .. token
    path = args[5]
end

local function confirm_request(confirmation)
    local headers = {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "csrftoken=" .. cookie,
    }
    return wrk.format("POST", path .. "confirm/" .. confirmation .. "/", headers, body)
end

local checked = false

function request()
    if not checked then
        checked = true
        -- Before the run, wrk calls request() once in the first thread only, to check that the
        -- request parses (script_verify_request), and never sends what it returns: that call
        -- must not use up a token (it used to: one registration per run stayed unconfirmed).
        if id == 1 then
            return confirm_request(tokens[1] or "none")
        end
    end
    index = index + 1
    if #tokens == 0 then
        return confirm_request("none")
    end
    return confirm_request(tokens[(index - 1) % #tokens + 1])
end

local seen = 0

function response(status, headers, body)
    seen = seen + 1
    if seen <= #tokens then -- not the second rounds sent while the thread stops
        common.count(status)
    end
end

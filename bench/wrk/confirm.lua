-- POST "Confirm my email address" for the registrations the submit step made (the tokens,
-- one a line, in the file given as args[3]; thread i of n takes every n-th from the i-th),
-- with a CSRF cookie and token fetched by the driver (args 1-2). 302 (to "My registration")
-- expected. Once a thread's tokens are used up it repeats its last one (an already confirmed
-- address: a redirect, not counted) until the driver sees every address confirmed and stops wrk.
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

function request()
    index = index + 1
    local confirmation = tokens[index]
    if confirmation == nil then
        confirmation = tokens[#tokens] or "none"
    end
    local headers = {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "csrftoken=" .. cookie,
    }
    return wrk.format("POST", path .. "confirm/" .. confirmation .. "/", headers, body)
end

local seen = 0

function response(status, headers, body)
    seen = seen + 1
    if seen <= #tokens then -- not the repeats sent while the thread stops
        common.count(status)
    end
end

-- GET the registration form (a first visit: no cookie). 200 expected.
package.path = package.path .. ";bench/wrk/?.lua"
local common = require("common")
expected = 200
setup = common.setup
done = common.done
function response(status, headers, body)
    common.count(status)
end

// RunWrite: the frame of every write route. It makes the request one unit of work (one
// transaction with its audit events, lims/store/unit_of_work.h) and honours Idempotency-Key:
// a repeated key with the same request replays the first response (with `Idempotent-Replayed:
// true`); the same key with another request is refused (422). Only 2xx responses commit; any
// other outcome rolls the transaction back, so a failed request leaves nothing behind.
#ifndef LIMS_HTTP_WRITE_SCOPE_H_
#define LIMS_HTTP_WRITE_SCOPE_H_

#include <functional>

#include "lims/http/app_context.h"
#include "lims/http/message.h"
#include "lims/store/unit_of_work.h"

namespace lims::http {

using WriteHandler = std::function<Response(store::UnitOfWork& work)>;

// `response_has_secret`: the response carries a secret (a new API token) that must not be kept
// in the database; a repeated key then gets 409 naming the first request's outcome instead.
Response RunWrite(AppContext& ctx, const Request& req, const WriteHandler& handler, bool response_has_secret = false);

// The actor of an authenticated request (username, user id and acting role).
store::Actor ActorOf(const Request& req);

}  // namespace lims::http

#endif  // LIMS_HTTP_WRITE_SCOPE_H_

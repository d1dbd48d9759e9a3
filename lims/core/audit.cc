#include "lims/core/audit.h"

#include <algorithm>
#include <cstdio>

#include "lims/core/sha256.h"

namespace lims {
namespace {

// Versions the canonical form: a change to CanonicalEventBytes must change this tag, so that old
// events keep verifying under the old rules and can never collide with new ones.
constexpr std::string_view kCanonicalVersion = "pramaan-audit-v1";

// A stripe index this large is a corrupt row, not a configuration; refusing it keeps a damaged
// trail from making the verifier allocate a tail per possible stripe.
constexpr int kMaxStripes = 1 << 16;

void AppendNetstring(std::string& out, std::string_view bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += ',';
}

std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  out += JsonEscape(text);
  out += '"';
  return out;
}

// "event 17 (stripe 3 #5)": how every break names the event it was found at.
std::string EventName(const AuditEvent& e) {
  return "event " + std::to_string(e.seq) + " (stripe " + std::to_string(e.stripe) + " #" +
         std::to_string(e.stripe_seq) + ")";
}

ChainBreak BreakAt(const AuditEvent& e, std::string reason) {
  return ChainBreak{e.seq, e.stripe, e.stripe_seq, std::move(reason)};
}

std::string GapReason(const AuditEvent& e, int64_t expected) {
  if (e.stripe_seq < expected) {
    return EventName(e) + " is out of order or repeated (expected #" + std::to_string(expected) + ")";
  }
  return EventName(e) + ": " + std::to_string(e.stripe_seq - expected) + " event(s) before it are missing (expected #" +
         std::to_string(expected) + ")";
}

}  // namespace

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += ch;  // UTF-8 passes through: the same text always gives the same bytes
        }
    }
  }
  return out;
}

// fields_ is kept sorted by key (std::string compares as unsigned bytes), so str() only joins.
AuditJson& AuditJson::SetRaw(std::string key, std::string json) {
  auto it = std::lower_bound(fields_.begin(), fields_.end(), key,
                             [](const auto& field, const std::string& k) { return field.first < k; });
  if (it != fields_.end() && it->first == key) {
    it->second = std::move(json);
  } else {
    fields_.emplace(it, std::move(key), std::move(json));
  }
  return *this;
}

AuditJson& AuditJson::Set(std::string key, std::string_view value) {
  return SetRaw(std::move(key), Quoted(value));
}

AuditJson& AuditJson::Set(std::string key, int64_t value) {
  return SetRaw(std::move(key), std::to_string(value));
}

AuditJson& AuditJson::Set(std::string key, const std::vector<std::string>& values) {
  std::string json = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) json += ',';
    json += Quoted(values[i]);
  }
  json += ']';
  return SetRaw(std::move(key), std::move(json));
}

AuditJson& AuditJson::SetNull(std::string key) {
  return SetRaw(std::move(key), "null");
}

std::string AuditJson::str() const {
  std::string out = "{";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ',';
    out += Quoted(fields_[i].first);
    out += ':';
    out += fields_[i].second;
  }
  out += '}';
  return out;
}

std::string CanonicalEventBytes(const AuditEvent& e) {
  const AuditChange& c = e.change;
  std::string out;
  out.reserve(128 + e.actor.size() + e.role.size() + c.action.size() + c.entity.size() + c.entity_id.size() +
              c.before.size() + c.after.size() + c.reason.size());
  AppendNetstring(out, kCanonicalVersion);
  AppendNetstring(out, std::to_string(e.stripe));
  AppendNetstring(out, std::to_string(e.stripe_seq));
  AppendNetstring(out, FormatRfc3339(e.at));
  AppendNetstring(out, std::to_string(e.actor_id));
  AppendNetstring(out, e.actor);
  AppendNetstring(out, e.role);
  AppendNetstring(out, c.action);
  AppendNetstring(out, c.entity);
  AppendNetstring(out, c.entity_id);
  AppendNetstring(out, c.before);
  AppendNetstring(out, c.after);
  AppendNetstring(out, c.reason);
  return out;
}

std::string ChainHash(std::string_view prev_hash_hex, const AuditEvent& e) {
  std::string data(prev_hash_hex);
  data += CanonicalEventBytes(e);
  return Sha256Hex(data);
}

std::optional<ChainBreak> AuditChainVerifier::Add(const AuditEvent& e) {
  if (broken_) return broken_;
  ++events_;
  if (e.stripe < 0 || e.stripe >= kMaxStripes) {
    broken_ = BreakAt(e, EventName(e) + " names an impossible stripe");
    return broken_;
  }
  if (static_cast<size_t>(e.stripe) >= tails_.size()) tails_.resize(static_cast<size_t>(e.stripe) + 1);
  Tail& tail = tails_[static_cast<size_t>(e.stripe)];
  if (e.stripe_seq != tail.stripe_seq + 1) {
    broken_ = BreakAt(e, GapReason(e, tail.stripe_seq + 1));
  } else if (e.prev_hash != tail.hash) {
    broken_ =
        BreakAt(e, EventName(e) + " does not link to the event before it: an earlier event was altered or removed");
  } else if (ChainHash(e.prev_hash, e) != e.hash) {
    broken_ = BreakAt(e, EventName(e) + " was altered: its content no longer matches its hash");
  } else {
    tail = Tail{e.stripe_seq, e.hash, e.seq};
  }
  return broken_;
}

std::optional<std::string> CheckEventLink(const AuditEvent& e, const std::optional<std::string>& predecessor_hash) {
  if (ChainHash(e.prev_hash, e) != e.hash) return EventName(e) + " was altered: its content no longer matches its hash";
  if (e.stripe_seq <= 1) {
    if (e.stripe_seq == 1 && e.prev_hash == kAuditGenesisHash) return std::nullopt;
    return EventName(e) + " claims to start its stripe but does not chain from the genesis hash";
  }
  if (!predecessor_hash) return EventName(e) + " has no event before it on its stripe: that event was removed";
  if (*predecessor_hash != e.prev_hash) {
    return EventName(e) + " does not link to the event before it: an earlier event was altered or removed";
  }
  return std::nullopt;
}

namespace {

// Why a stripe's recorded head disagrees with the last event seen on it, or "" when they agree.
std::string HeadMismatch(int stripe, int64_t tail_seq, std::string_view tail_hash, int64_t head_seq,
                         std::string_view head_hash) {
  const std::string prefix = "stripe " + std::to_string(stripe) + " ends at #" + std::to_string(tail_seq);
  if (tail_seq < head_seq) {
    return prefix + " but its head records #" + std::to_string(head_seq) + ": events at the end were removed";
  }
  if (tail_seq > head_seq) {
    return prefix + " but its head records #" + std::to_string(head_seq) +
           ": events were added without moving the head";
  }
  if (tail_hash != head_hash) {
    return prefix + " but its head hash differs from that event's hash: the end of the stripe was rewritten";
  }
  return "";
}

}  // namespace

std::optional<ChainBreak> AuditChainVerifier::Finish(
    const std::vector<std::pair<int, std::pair<int64_t, std::string>>>& heads) {
  if (broken_) return broken_;
  // Checked in stripe order, so the break reported does not depend on the order of `heads`.
  auto sorted = heads;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<bool> has_head(tails_.size(), false);
  for (const auto& [stripe, head] : sorted) {
    if (stripe < 0) {
      broken_ = ChainBreak{0, stripe, 0, "a head names the impossible stripe " + std::to_string(stripe)};
      return broken_;
    }
    const auto index = static_cast<size_t>(stripe);
    const Tail tail = index < tails_.size() ? tails_[index] : Tail{};
    if (index < has_head.size()) has_head[index] = true;
    std::string why = HeadMismatch(stripe, tail.stripe_seq, tail.hash, head.first, head.second);
    if (!why.empty()) {
      broken_ = ChainBreak{tail.seq, stripe, tail.stripe_seq, std::move(why)};
      return broken_;
    }
  }
  for (size_t i = 0; i < tails_.size(); ++i) {
    if (has_head[i] || tails_[i].stripe_seq == 0) continue;
    broken_ = ChainBreak{tails_[i].seq, static_cast<int>(i), tails_[i].stripe_seq,
                         "stripe " + std::to_string(i) + " has events up to #" + std::to_string(tails_[i].stripe_seq) +
                             " but no recorded head"};
    return broken_;
  }
  return std::nullopt;
}

int AuditStripeFor(std::string_view entity, std::string_view entity_id, int stripes) {
  if (stripes <= 1) return 0;
  uint64_t h = 14695981039346656037ULL;  // FNV-1a 64
  auto mix = [&h](std::string_view bytes) {
    for (char ch : bytes) {
      h ^= static_cast<unsigned char>(ch);
      h *= 1099511628211ULL;
    }
  };
  mix(entity);
  mix(std::string_view("\0", 1));
  mix(entity_id);
  // FNV-1a's low k bits depend only on the low k bits of each input byte ("A" and "Q" agree modulo
  // 16), so the modulo takes the hash after MurmurHash3's 64-bit finalizer, which mixes every bit.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<int>(h % static_cast<uint64_t>(stripes));
}

}  // namespace lims

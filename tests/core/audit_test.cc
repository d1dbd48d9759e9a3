#include "lims/core/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lims/core/sha256.h"
#include "tests/support/test_support.h"

namespace lims {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

using Heads = std::vector<std::pair<int, std::pair<int64_t, std::string>>>;

// 2026-11-23T10:15:00Z
const Timestamp kAt = Timestamp(days(20780)) + hours(10) + minutes(15);

std::string Genesis() {
  return std::string(kAuditGenesisHash);
}

std::string Describe(const std::optional<ChainBreak>& b) {
  if (!b) return "no break";
  return "break at seq " + std::to_string(b->seq) + " stripe " + std::to_string(b->stripe) + " #" +
         std::to_string(b->stripe_seq) + ": " + b->reason;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The event whose canonical bytes are written out by hand in MatchesTheDocumentedLayout.
AuditEvent FixedEvent() {
  AuditEvent e;
  e.seq = 99;
  e.stripe = 3;
  e.stripe_seq = 17;
  e.at = kAt;
  e.actor_id = 42;
  e.actor = "asha";
  e.role = "analyst";
  e.change.action = "test.result";
  e.change.entity = "test";
  e.change.entity_id = "S-2026-000123/Pb";
  e.change.before = "";
  e.change.after = AuditJson().Set("value", "0.12").Set("unit", "mg/kg").str();
  e.change.reason = "re-run: 5 \xC2\xB5g";  // "µ" is two bytes: lengths count bytes
  e.prev_hash = Genesis();
  e.hash = ChainHash(e.prev_hash, e);
  return e;
}

// A typical result entry: ~100-byte documents, so that every field has content to alter.
AuditChange ChangeFor(int i) {
  char id[32];
  std::snprintf(id, sizeof id, "S-2026-%06d", i / 3);
  AuditChange c;
  c.action = i % 3 == 0 ? "sample.register" : "test.result";
  c.entity = i % 3 == 0 ? "sample" : "test";
  c.entity_id = id;
  if (i % 3 != 0) {
    c.before = AuditJson().Set("state", "pending").Set("analyte", "Pb").str();
    c.reason = i % 7 == 0 ? "retest: duplicate out of tolerance" : "";
  }
  c.after = AuditJson()
                .Set("state", "entered")
                .Set("analyte", "Pb")
                .Set("value", std::to_string(i % 100) + ".5")
                .Set("unit", "mg/kg")
                .Set("flags", std::vector<std::string>{"dup", "x" + std::to_string(i % 4)})
                .str();
  return c;
}

struct Trail {
  std::vector<AuditEvent> events;
  Heads heads;
};

// `n` events chained over `stripes` stripes the way the store writes them; each sample's events
// share a stripe.
Trail BuildTrail(int n, int stripes) {
  std::vector<std::pair<int64_t, std::string>> tails(static_cast<size_t>(stripes), {0, Genesis()});
  Trail trail;
  for (int i = 0; i < n; ++i) {
    AuditEvent e;
    e.seq = 1000 + i;
    e.change = ChangeFor(i);
    e.stripe = AuditStripeFor("sample", e.change.entity_id, stripes);
    e.at = kAt + seconds(i * 7);
    e.actor_id = i % 5;
    e.actor = e.actor_id == 0 ? "system" : "user" + std::to_string(e.actor_id);
    e.role = e.actor_id == 0 ? "" : "analyst";
    auto& tail = tails[static_cast<size_t>(e.stripe)];
    e.stripe_seq = tail.first + 1;
    e.prev_hash = tail.second;
    e.hash = ChainHash(e.prev_hash, e);
    tail = {e.stripe_seq, e.hash};
    trail.events.push_back(std::move(e));
  }
  for (int s = 0; s < stripes; ++s) trail.heads.push_back({s, tails[static_cast<size_t>(s)]});
  return trail;
}

std::optional<ChainBreak> Verify(const std::vector<AuditEvent>& events, const Heads& heads) {
  AuditChainVerifier v;
  for (const AuditEvent& e : events) {
    if (std::optional<ChainBreak> b = v.Add(e)) return b;
  }
  return v.Finish(heads);
}

// Index in `events` of the next event of the same stripe after index `i`, or -1.
int NextInStripe(const std::vector<AuditEvent>& events, size_t i) {
  for (size_t j = i + 1; j < events.size(); ++j) {
    if (events[j].stripe == events[i].stripe) return static_cast<int>(j);
  }
  return -1;
}

// Index of the last event of `stripe`.
size_t LastOfStripe(const std::vector<AuditEvent>& events, int stripe) {
  size_t last = events.size();
  for (size_t j = 0; j < events.size(); ++j) {
    if (events[j].stripe == stripe) last = j;
  }
  return last;
}

std::string EventName(const AuditEvent& e) {
  return "event " + std::to_string(e.seq) + " (stripe " + std::to_string(e.stripe) + " #" +
         std::to_string(e.stripe_seq) + ")";
}

// One change to one hashed field of an event.
struct Mutation {
  std::string field;
  std::function<void(AuditEvent&)> apply;
};

std::vector<Mutation> HashedFieldMutations() {
  return {
      {"stripe", [](AuditEvent& e) { e.stripe = (e.stripe + 1) % 4; }},
      {"stripe_seq", [](AuditEvent& e) { e.stripe_seq += 1; }},
      {"at", [](AuditEvent& e) { e.at += seconds(1); }},
      {"actor_id", [](AuditEvent& e) { e.actor_id += 1; }},
      {"actor", [](AuditEvent& e) { e.actor += "x"; }},
      {"role", [](AuditEvent& e) { e.role = e.role == "reviewer" ? "analyst" : "reviewer"; }},
      {"action", [](AuditEvent& e) { e.change.action += ".x"; }},
      {"entity", [](AuditEvent& e) { e.change.entity += "x"; }},
      {"entity_id", [](AuditEvent& e) { e.change.entity_id.back() ^= 1; }},
      {"before", [](AuditEvent& e) { e.change.before += " "; }},
      {"after", [](AuditEvent& e) { e.change.after[e.change.after.size() / 2] ^= 1; }},
      {"reason", [](AuditEvent& e) { e.change.reason += "x"; }},
  };
}

// The SHA-256 of `bytes` as computed by coreutils' sha256sum, independently of OpenSSL.
std::string Sha256Sum(const std::string& bytes) {
  const std::string dir = testing::MakeTempDir("audit_test_");
  const std::string path = dir + "/bytes";
  testing::WriteFile(path, bytes);
  std::string output;
  const int rc = testing::RunCommand("sha256sum '" + path + "'", &output);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(rc, 0) << output;
  return output.substr(0, 64);
}

// --- AuditJson ---------------------------------------------------------------------------------

TEST(AuditJson, EmptyIsAnEmptyObject) {
  AuditJson j;
  EXPECT_TRUE(j.empty());
  EXPECT_EQ(j.str(), "{}");
}

TEST(AuditJson, SortsKeysByByteOrder) {
  AuditJson j;
  j.Set("b", "2").Set("\xC3\xA9", "e-acute").Set("a", "1").Set("B", "upper").Set("ab", "3").Set("_", "u");
  EXPECT_FALSE(j.empty());
  // 'B' (0x42) < '_' (0x5F) < 'a' < "ab" < 'b' < 0xC3: bytes compare unsigned.
  EXPECT_EQ(j.str(), R"({"B":"upper","_":"u","a":"1","ab":"3","b":"2","é":"e-acute"})");
}

TEST(AuditJson, GivesTheSameBytesWhateverTheOrderOfSets) {
  const std::string a = AuditJson().Set("x", int64_t{1}).Set("y", "two").SetNull("z").str();
  const std::string b = AuditJson().SetNull("z").Set("y", "two").Set("x", int64_t{1}).str();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, R"({"x":1,"y":"two","z":null})");
}

TEST(AuditJson, SettingAKeyAgainReplacesItsValue) {
  AuditJson j;
  j.Set("state", "pending").Set("value", "1.0").Set("state", "entered");
  EXPECT_EQ(j.str(), R"({"state":"entered","value":"1.0"})");
  j.Set("value", int64_t{7}).SetNull("state");
  EXPECT_EQ(j.str(), R"({"state":null,"value":7})");
  j.SetRaw("value", "[1,2]").Set("state", std::vector<std::string>{"a"});
  EXPECT_EQ(j.str(), R"({"state":["a"],"value":[1,2]})");
}

TEST(AuditJson, EncodesNumbers) {
  AuditJson j;
  j.Set("zero", int64_t{0})
      .Set("neg", int64_t{-42})
      .Set("max", INT64_MAX)
      .Set("min", INT64_MIN)
      .Set("int", 5);  // an int is a number, not a string
  EXPECT_EQ(j.str(), R"({"int":5,"max":9223372036854775807,"min":-9223372036854775808,"neg":-42,"zero":0})");
}

TEST(AuditJson, EncodesStringsFromLiteralsAndViewsAlike) {
  const std::string owned = "mg/kg";
  AuditJson j;
  j.Set("literal", "5").Set("view", std::string_view(owned)).Set("string", owned).Set("empty", "");
  EXPECT_EQ(j.str(), R"({"empty":"","literal":"5","string":"mg/kg","view":"mg/kg"})");
}

TEST(AuditJson, EncodesArraysOfStrings) {
  AuditJson j;
  j.Set("none", std::vector<std::string>{})
      .Set("one", std::vector<std::string>{"Pb"})
      .Set("many", std::vector<std::string>{"b", "a", "say \"hi\""});  // order kept: an array is a list
  EXPECT_EQ(j.str(), R"({"many":["b","a","say \"hi\""],"none":[],"one":["Pb"]})");
}

TEST(AuditJson, EscapesValuesAndKeys) {
  AuditJson j;
  j.Set("note", "line1\nline2\t\"quoted\" back\\slash").Set("k\"ey", "v");
  EXPECT_EQ(j.str(), R"({"k\"ey":"v","note":"line1\nline2\t\"quoted\" back\\slash"})");
}

TEST(AuditJson, SetRawNestsDocumentsVerbatim) {
  const std::string limit = AuditJson().Set("max", "0.5").Set("unit", "mg/kg").str();
  AuditJson j;
  j.SetRaw("limit", limit).SetRaw("list", R"([{"a":1},"x"])").Set("analyte", "Pb");
  EXPECT_EQ(j.str(), R"({"analyte":"Pb","limit":{"max":"0.5","unit":"mg/kg"},"list":[{"a":1},"x"]})");
  EXPECT_EQ(AuditJson().SetRaw("empty", AuditJson().str()).str(), R"({"empty":{}})");
}

// --- JsonEscape --------------------------------------------------------------------------------

TEST(AuditJsonEscape, EscapesQuoteAndBackslash) {
  EXPECT_EQ(JsonEscape(R"(a"b\c)"), R"(a\"b\\c)");
  EXPECT_EQ(JsonEscape(""), "");
  EXPECT_EQ(JsonEscape("plain text / 0.5 mg"), "plain text / 0.5 mg");
}

TEST(AuditJsonEscape, EscapesEveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string expected;
    switch (c) {
      case '\n':
        expected = "\\n";
        break;
      case '\r':
        expected = "\\r";
        break;
      case '\t':
        expected = "\\t";
        break;
      case '\b':
        expected = "\\b";
        break;
      case '\f':
        expected = "\\f";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        expected = buf;
      }
    }
    EXPECT_EQ(JsonEscape(std::string(1, static_cast<char>(c))), expected) << "character " << c;
  }
  EXPECT_EQ(JsonEscape(std::string("a\0b", 3)), "a\\u0000b");
  EXPECT_EQ(JsonEscape("\x1f"), "\\u001f");
}

TEST(AuditJsonEscape, PassesUtf8AndDelThrough) {
  EXPECT_EQ(JsonEscape("\xC2\xB5g/cm\xC2\xB2"), "\xC2\xB5g/cm\xC2\xB2");          // µg/cm²
  EXPECT_EQ(JsonEscape("\xE0\xA4\xAA\xE0\xA5\x8D"), "\xE0\xA4\xAA\xE0\xA5\x8D");  // Devanagari
  EXPECT_EQ(JsonEscape("\x7F"), "\x7F");
  EXPECT_EQ(JsonEscape("\xFF"), "\xFF");  // not valid UTF-8, still passed through unchanged
}

// --- CanonicalEventBytes and ChainHash ---------------------------------------------------------

TEST(AuditCanonicalEventBytes, MatchesTheDocumentedLayout) {
  const std::string expected =
      "16:pramaan-audit-v1,1:3,2:17,20:2026-11-23T10:15:00Z,2:42,4:asha,7:analyst,11:test.result,4:test,"
      "16:S-2026-000123/Pb,0:,"
      R"(31:{"unit":"mg/kg","value":"0.12"},)"
      "13:re-run: 5 \xC2\xB5g,";
  EXPECT_EQ(CanonicalEventBytes(FixedEvent()), expected);
}

TEST(AuditCanonicalEventBytes, WritesNegativeAndLargeIntegersInDecimal) {
  AuditEvent e = FixedEvent();
  e.actor_id = -1;
  e.stripe_seq = 1234567890123;
  const std::string bytes = CanonicalEventBytes(e);
  EXPECT_TRUE(Contains(bytes, ",13:1234567890123,")) << bytes;
  EXPECT_TRUE(Contains(bytes, "Z,2:-1,")) << bytes;
}

TEST(AuditCanonicalEventBytes, IsStableAcrossCallsAndCopies) {
  const AuditEvent e = FixedEvent();
  const AuditEvent copy = e;
  EXPECT_EQ(CanonicalEventBytes(e), CanonicalEventBytes(e));
  EXPECT_EQ(CanonicalEventBytes(e), CanonicalEventBytes(copy));
  EXPECT_EQ(ChainHash(e.prev_hash, e), ChainHash(copy.prev_hash, copy));
}

TEST(AuditCanonicalEventBytes, LeavesOutSeqAndTheHashes) {
  const AuditEvent e = FixedEvent();
  AuditEvent other = e;
  other.seq = 12345;
  other.prev_hash = std::string(64, 'a');
  other.hash = std::string(64, 'b');
  EXPECT_EQ(CanonicalEventBytes(other), CanonicalEventBytes(e));
}

TEST(AuditCanonicalEventBytes, ChangesWhenAnySingleFieldChanges) {
  const AuditEvent base = FixedEvent();
  const std::string base_bytes = CanonicalEventBytes(base);
  std::set<std::string> seen = {base_bytes};
  for (const Mutation& m : HashedFieldMutations()) {
    AuditEvent e = base;
    m.apply(e);
    const std::string bytes = CanonicalEventBytes(e);
    EXPECT_NE(bytes, base_bytes) << m.field;
    EXPECT_NE(ChainHash(base.prev_hash, e), base.hash) << m.field;
    EXPECT_TRUE(seen.insert(bytes).second) << m.field << " gives the bytes of another mutation";
  }
}

TEST(AuditCanonicalEventBytes, KeepsFieldBoundaries) {
  // Moving bytes from one field to its neighbour must change the bytes (why netstrings, not a join).
  AuditEvent a = FixedEvent();
  a.actor = "ab";
  a.role = "c";
  AuditEvent b = a;
  b.actor = "a";
  b.role = "bc";
  EXPECT_NE(CanonicalEventBytes(a), CanonicalEventBytes(b));

  AuditEvent c = FixedEvent();
  c.change.before = "";
  c.change.after = "{}";
  AuditEvent d = c;
  d.change.before = "{}";
  d.change.after = "";
  EXPECT_NE(CanonicalEventBytes(c), CanonicalEventBytes(d));

  // A field that contains what looks like the next field's netstring.
  AuditEvent f = FixedEvent();
  f.actor = "asha,7:analyst";
  f.role = "";
  AuditEvent g = FixedEvent();
  g.actor = "asha";
  g.role = "analyst";
  EXPECT_NE(CanonicalEventBytes(f), CanonicalEventBytes(g));
}

TEST(AuditChainHash, IsSha256OfPrevHashThenCanonicalBytes) {
  const AuditEvent e = FixedEvent();
  EXPECT_EQ(ChainHash(e.prev_hash, e), Sha256Hex(e.prev_hash + CanonicalEventBytes(e)));
  // Computed once with Python's hashlib and checked here against coreutils, not against ourselves.
  const std::string golden = "3ae8f720c6447490077eace723b91f5c916a24386385d37291f901b8eaf38bc3";
  EXPECT_EQ(Sha256Sum(Genesis() + CanonicalEventBytes(e)), golden);
  EXPECT_EQ(ChainHash(kAuditGenesisHash, e), golden);
}

TEST(AuditChainHash, AgreesWithSha256sumOnAChainedEvent) {
  const Trail trail = BuildTrail(20, 2);
  const AuditEvent& e = trail.events.back();
  ASSERT_NE(e.prev_hash, Genesis());
  EXPECT_EQ(ChainHash(e.prev_hash, e), Sha256Sum(e.prev_hash + CanonicalEventBytes(e)));
}

TEST(AuditChainHash, IsLowerCaseHexAndDependsOnThePreviousHash) {
  const AuditEvent e = FixedEvent();
  const std::string h = ChainHash(kAuditGenesisHash, e);
  ASSERT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  std::string other_prev = Genesis();
  other_prev.back() = '1';
  EXPECT_NE(ChainHash(other_prev, e), h);
}

// --- AuditChainVerifier ------------------------------------------------------------------------

TEST(AuditChainVerifier, AcceptsAnEmptyTrail) {
  AuditChainVerifier v;
  EXPECT_FALSE(v.Finish({}));
  AuditChainVerifier w;
  const std::optional<ChainBreak> b = w.Finish({{0, {0, Genesis()}}, {1, {0, Genesis()}}});
  EXPECT_FALSE(b) << Describe(b);
  EXPECT_EQ(w.events(), 0);
}

TEST(AuditChainVerifier, AcceptsAThousandEventsOverFourStripes) {
  const Trail trail = BuildTrail(1000, 4);
  std::vector<int> per_stripe(4, 0);
  for (const AuditEvent& e : trail.events) ++per_stripe[static_cast<size_t>(e.stripe)];
  for (int n : per_stripe) EXPECT_GT(n, 100);  // every stripe is exercised

  AuditChainVerifier v;
  for (const AuditEvent& e : trail.events) {
    const std::optional<ChainBreak> b = v.Add(e);
    ASSERT_FALSE(b) << Describe(b);
  }
  EXPECT_EQ(v.events(), 1000);
  const std::optional<ChainBreak> b = v.Finish(trail.heads);
  EXPECT_FALSE(b) << Describe(b);
}

TEST(AuditChainVerifier, AcceptsAnyInterleavingOfTheStripes) {
  Trail trail = BuildTrail(300, 4);
  // Stripe by stripe instead of in insertion order: each stripe's own order is kept.
  std::stable_sort(trail.events.begin(), trail.events.end(),
                   [](const AuditEvent& a, const AuditEvent& b) { return a.stripe > b.stripe; });
  std::optional<ChainBreak> b = Verify(trail.events, trail.heads);
  EXPECT_FALSE(b) << Describe(b);
  // Heads in any order, and stripes beyond the last one used with an empty head.
  Heads heads(trail.heads.rbegin(), trail.heads.rend());
  heads.push_back({7, {0, Genesis()}});
  b = Verify(trail.events, heads);
  EXPECT_FALSE(b) << Describe(b);
}

TEST(AuditChainVerifier, DetectsAnAlteredFieldAtExactlyThatEvent) {
  const Trail trail = BuildTrail(1000, 4);
  const size_t last_of_stripe_1 = LastOfStripe(trail.events, 1);
  for (size_t target : {size_t{0}, size_t{1}, size_t{500}, last_of_stripe_1, size_t{999}}) {
    for (const Mutation& m : HashedFieldMutations()) {
      std::vector<AuditEvent> events = trail.events;
      m.apply(events[target]);
      const std::optional<ChainBreak> b = Verify(events, trail.heads);
      ASSERT_TRUE(b) << m.field << " of event #" << target;
      EXPECT_EQ(b->seq, events[target].seq) << m.field << ": " << Describe(b);
      EXPECT_EQ(b->stripe, events[target].stripe) << m.field << ": " << Describe(b);
      EXPECT_EQ(b->stripe_seq, events[target].stripe_seq) << m.field << ": " << Describe(b);
      if (m.field == "stripe_seq") {
        EXPECT_TRUE(Contains(b->reason, "1 event(s) before it are missing")) << Describe(b);
      } else if (m.field != "stripe") {  // a moved event breaks its new stripe in one of three ways
        EXPECT_EQ(b->reason, EventName(events[target]) + " was altered: its content no longer matches its hash");
      }
    }
  }
}

TEST(AuditChainVerifier, DetectsAnAlteredStoredHash) {
  const Trail trail = BuildTrail(100, 4);
  std::vector<AuditEvent> events = trail.events;
  events[40].hash[5] = events[40].hash[5] == 'a' ? 'b' : 'a';
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[40].seq);
  EXPECT_EQ(b->reason, EventName(events[40]) + " was altered: its content no longer matches its hash");
}

TEST(AuditChainVerifier, DetectsAnAlteredEventWhoseHashWasRecomputed) {
  // The editor recomputes the event's own hash: the next event of the stripe no longer links to it.
  const Trail trail = BuildTrail(100, 4);
  std::vector<AuditEvent> events = trail.events;
  const size_t target = 30;
  events[target].change.after = AuditJson().Set("value", "0.01").str();
  events[target].hash = ChainHash(events[target].prev_hash, events[target]);
  const int next = NextInStripe(events, target);
  ASSERT_GE(next, 0);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[static_cast<size_t>(next)].seq) << Describe(b);
  EXPECT_EQ(b->reason, EventName(events[static_cast<size_t>(next)]) +
                           " does not link to the event before it: an earlier event was altered or removed");
}

TEST(AuditChainVerifier, DetectsADeletedEventAtTheNextEventOfItsStripe) {
  const Trail trail = BuildTrail(1000, 4);
  for (size_t target : {size_t{0}, size_t{1}, size_t{2}, size_t{333}, size_t{900}}) {
    const int next = NextInStripe(trail.events, target);
    ASSERT_GE(next, 0);
    const AuditEvent& following = trail.events[static_cast<size_t>(next)];
    std::vector<AuditEvent> events = trail.events;
    events.erase(events.begin() + static_cast<std::ptrdiff_t>(target));
    const std::optional<ChainBreak> b = Verify(events, trail.heads);
    ASSERT_TRUE(b) << "deleted #" << target;
    EXPECT_EQ(b->seq, following.seq) << Describe(b);
    EXPECT_EQ(b->stripe, following.stripe);
    EXPECT_EQ(b->stripe_seq, following.stripe_seq);
    EXPECT_EQ(b->reason, EventName(following) + ": 1 event(s) before it are missing (expected #" +
                             std::to_string(following.stripe_seq - 1) + ")");
  }
}

TEST(AuditChainVerifier, CountsSeveralDeletedEvents) {
  const Trail trail = BuildTrail(200, 4);
  std::vector<AuditEvent> events;
  for (const AuditEvent& e : trail.events) {
    if (e.stripe == 2 && e.stripe_seq >= 5 && e.stripe_seq <= 7) continue;
    events.push_back(e);
  }
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 2);
  EXPECT_EQ(b->stripe_seq, 8);
  EXPECT_TRUE(Contains(b->reason, "(stripe 2 #8): 3 event(s) before it are missing (expected #5)")) << b->reason;
}

TEST(AuditChainVerifier, DetectsADeletionHiddenByRenumbering) {
  // The editor deletes stripe 1's #4 and renumbers the later events, but cannot rehash them.
  const Trail trail = BuildTrail(200, 4);
  std::vector<AuditEvent> events;
  for (AuditEvent e : trail.events) {
    if (e.stripe == 1 && e.stripe_seq == 4) continue;
    if (e.stripe == 1 && e.stripe_seq > 4) --e.stripe_seq;
    events.push_back(std::move(e));
  }
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 1);
  EXPECT_EQ(b->stripe_seq, 4);  // the old #5, now numbered #4
  EXPECT_TRUE(Contains(b->reason, "#4) does not link to the event before it")) << b->reason;
}

TEST(AuditChainVerifier, DetectsARemovedLastEventInFinish) {
  const Trail trail = BuildTrail(400, 4);
  const size_t last = LastOfStripe(trail.events, 2);
  const AuditEvent removed = trail.events[last];
  std::vector<AuditEvent> events = trail.events;
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(last));

  AuditChainVerifier v;
  for (const AuditEvent& e : events) {
    const std::optional<ChainBreak> b = v.Add(e);
    ASSERT_FALSE(b) << Describe(b);  // the stripe itself is intact up to its new end
  }
  const std::optional<ChainBreak> b = v.Finish(trail.heads);
  ASSERT_TRUE(b);
  const int64_t k = removed.stripe_seq - 1;
  int64_t new_last_seq = 0;
  for (const AuditEvent& e : events) {
    if (e.stripe == 2) new_last_seq = e.seq;
  }
  EXPECT_EQ(b->seq, new_last_seq);
  EXPECT_EQ(b->stripe, 2);
  EXPECT_EQ(b->stripe_seq, k);
  EXPECT_EQ(b->reason, "stripe 2 ends at #" + std::to_string(k) + " but its head records #" +
                           std::to_string(removed.stripe_seq) + ": events at the end were removed");
}

TEST(AuditChainVerifier, DetectsAStripeEmptiedEntirely) {
  const Trail trail = BuildTrail(200, 4);
  std::vector<AuditEvent> events;
  for (const AuditEvent& e : trail.events) {
    if (e.stripe != 3) events.push_back(e);
  }
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, 0);
  EXPECT_EQ(b->stripe, 3);
  EXPECT_EQ(b->stripe_seq, 0);
  EXPECT_TRUE(Contains(b->reason, "stripe 3 ends at #0 but its head records #")) << b->reason;
}

TEST(AuditChainVerifier, DetectsALastEventReplacedWithAValidOne) {
  // The last event of a stripe is rewritten and rehashed: only the head can tell.
  const Trail trail = BuildTrail(200, 4);
  std::vector<AuditEvent> events = trail.events;
  const size_t last = LastOfStripe(events, 0);
  events[last].change.reason = "covered up";
  events[last].hash = ChainHash(events[last].prev_hash, events[last]);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[last].seq);
  EXPECT_EQ(b->stripe, 0);
  EXPECT_TRUE(Contains(b->reason, "head hash differs")) << b->reason;
}

TEST(AuditChainVerifier, DetectsEventsAppendedPastTheHead) {
  const Trail trail = BuildTrail(200, 4);
  Heads heads = trail.heads;
  const int64_t stripe_seq = heads[1].second.first;
  heads[1].second = {stripe_seq - 1, trail.events[0].hash};
  const std::optional<ChainBreak> b = Verify(trail.events, heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 1);
  EXPECT_EQ(b->stripe_seq, stripe_seq);
  EXPECT_TRUE(Contains(b->reason, "but its head records #" + std::to_string(stripe_seq - 1))) << b->reason;
}

TEST(AuditChainVerifier, DetectsAStripeWithEventsButNoHead) {
  const Trail trail = BuildTrail(200, 4);
  Heads heads = trail.heads;
  heads.erase(heads.begin() + 2);
  const std::optional<ChainBreak> b = Verify(trail.events, heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 2);
  EXPECT_EQ(b->stripe_seq, trail.heads[2].second.first);
  EXPECT_EQ(b->seq, trail.events[LastOfStripe(trail.events, 2)].seq);
  EXPECT_TRUE(Contains(b->reason, "no recorded head")) << b->reason;
}

TEST(AuditChainVerifier, DetectsAHeadForAStripeWithoutEvents) {
  const Trail trail = BuildTrail(50, 2);
  Heads heads = trail.heads;
  heads.push_back({5, {3, trail.events[0].hash}});
  const std::optional<ChainBreak> b = Verify(trail.events, heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 5);
  EXPECT_EQ(b->reason, "stripe 5 ends at #0 but its head records #3: events at the end were removed");
}

TEST(AuditChainVerifier, DetectsTwoSwappedEventsOfAStripe) {
  const Trail trail = BuildTrail(200, 4);
  const size_t first = 10;
  const int second = NextInStripe(trail.events, first);
  ASSERT_GE(second, 0);
  std::vector<AuditEvent> events = trail.events;
  std::swap(events[first], events[static_cast<size_t>(second)]);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, trail.events[static_cast<size_t>(second)].seq);  // the later event, now first
  EXPECT_TRUE(Contains(b->reason, "1 event(s) before it are missing")) << b->reason;
}

TEST(AuditChainVerifier, DetectsTwoEventsWhoseContentsWereSwapped) {
  // Positions, numbers and hashes stay; the changes trade places.
  const Trail trail = BuildTrail(200, 4);
  const size_t first = 10;
  const int second = NextInStripe(trail.events, first);
  ASSERT_GE(second, 0);
  std::vector<AuditEvent> events = trail.events;
  std::swap(events[first].change, events[static_cast<size_t>(second)].change);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[first].seq);
  EXPECT_TRUE(Contains(b->reason, "was altered")) << b->reason;
}

TEST(AuditChainVerifier, DetectsARepeatedEvent) {
  const Trail trail = BuildTrail(100, 4);
  std::vector<AuditEvent> events = trail.events;
  events.insert(events.begin() + 51, events[50]);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[50].seq);
  EXPECT_TRUE(
      Contains(b->reason, "is out of order or repeated (expected #" + std::to_string(events[50].stripe_seq + 1) + ")"))
      << b->reason;
}

TEST(AuditChainVerifier, DetectsAWrongPrevHash) {
  // The event links to the event two back in its stripe, and its own hash is made to match.
  const Trail trail = BuildTrail(200, 4);
  std::vector<AuditEvent> events = trail.events;
  size_t target = 0;
  while (events[target].stripe_seq < 3) ++target;
  std::string two_back;
  for (size_t j = 0; j < target; ++j) {
    if (events[j].stripe == events[target].stripe && events[j].stripe_seq == events[target].stripe_seq - 2) {
      two_back = events[j].hash;
    }
  }
  ASSERT_FALSE(two_back.empty());
  events[target].prev_hash = two_back;
  events[target].hash = ChainHash(events[target].prev_hash, events[target]);
  const std::optional<ChainBreak> b = Verify(events, trail.heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, events[target].seq);
  EXPECT_EQ(b->reason, EventName(events[target]) +
                           " does not link to the event before it: an earlier event was altered or removed");
}

TEST(AuditChainVerifier, RequiresTheFirstEventToChainFromGenesis) {
  AuditEvent e = FixedEvent();
  e.stripe_seq = 1;
  e.prev_hash = std::string(64, 'f');
  e.hash = ChainHash(e.prev_hash, e);
  AuditChainVerifier v;
  const std::optional<ChainBreak> b = v.Add(e);
  ASSERT_TRUE(b);
  EXPECT_TRUE(Contains(b->reason, "does not link")) << b->reason;
}

TEST(AuditChainVerifier, RejectsANegativeStripe) {
  AuditEvent e = FixedEvent();
  e.stripe = -1;
  e.stripe_seq = 1;
  e.hash = ChainHash(e.prev_hash, e);
  AuditChainVerifier v;
  const std::optional<ChainBreak> b = v.Add(e);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, -1);
}

TEST(AuditChainVerifier, KeepsReturningTheFirstBreak) {
  const Trail trail = BuildTrail(100, 4);
  std::vector<AuditEvent> events = trail.events;
  events[20].actor = "mallory";
  events[60].actor = "mallory";
  AuditChainVerifier v;
  std::optional<ChainBreak> first;
  for (const AuditEvent& e : events) {
    std::optional<ChainBreak> b = v.Add(e);
    if (b && !first) first = b;
    if (first) {
      ASSERT_TRUE(b);
      EXPECT_EQ(b->seq, first->seq);
      EXPECT_EQ(b->reason, first->reason);
    }
  }
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, events[20].seq);
  EXPECT_EQ(v.events(), 21);  // nothing after the break is examined
  const std::optional<ChainBreak> f = v.Finish(trail.heads);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->seq, first->seq);
}

TEST(AuditChainVerifier, KeepsReturningABreakFoundByFinish) {
  const Trail trail = BuildTrail(20, 2);
  Heads heads = trail.heads;
  heads[0].second.second = Genesis();
  AuditChainVerifier v;
  for (const AuditEvent& e : trail.events) ASSERT_FALSE(v.Add(e));
  const std::optional<ChainBreak> b = v.Finish(heads);
  ASSERT_TRUE(b);
  EXPECT_TRUE(v.Finish(trail.heads));
  EXPECT_TRUE(v.Add(trail.events[0]));
}

TEST(AuditChainVerifier, ReportsTheLowestStripeFirstWhateverTheHeadOrder) {
  const Trail trail = BuildTrail(100, 4);
  Heads heads = trail.heads;
  heads[1].second.first += 1;
  heads[3].second.first += 1;
  std::reverse(heads.begin(), heads.end());
  const std::optional<ChainBreak> b = Verify(trail.events, heads);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->stripe, 1);
}

// --- AuditStripeFor ----------------------------------------------------------------------------

TEST(AuditStripeFor, IsStableAndInRange) {
  for (int stripes : {1, 2, 4, 16, 7}) {
    for (int i = 0; i < 200; ++i) {
      const std::string id = "S-2026-" + std::to_string(i);
      const int s = AuditStripeFor("sample", id, stripes);
      EXPECT_GE(s, 0);
      EXPECT_LT(s, stripes);
      EXPECT_EQ(AuditStripeFor("sample", id, stripes), s);
      EXPECT_EQ(AuditStripeFor(std::string("sample"), std::string(id), stripes), s);
    }
  }
}

TEST(AuditStripeFor, MatchesItsDefinition) {
  // FNV-1a 64 over entity, NUL, entity_id; MurmurHash3's fmix64; modulo. Values from a separate
  // Python implementation: a change here moves existing samples to other stripes.
  EXPECT_EQ(AuditStripeFor("sample", "S-2026-000001", 16), 8);
  EXPECT_EQ(AuditStripeFor("sample", "S-2026-000002", 16), 10);
  EXPECT_EQ(AuditStripeFor("test", "S-2026-000123/Pb", 16), 2);
  EXPECT_EQ(AuditStripeFor("user", "asha", 7), 6);
  EXPECT_EQ(AuditStripeFor("", "", 1000), 267);
}

TEST(AuditStripeFor, OneOrFewerStripesIsStripeZero) {
  EXPECT_EQ(AuditStripeFor("sample", "S-1", 1), 0);
  EXPECT_EQ(AuditStripeFor("sample", "S-1", 0), 0);
  EXPECT_EQ(AuditStripeFor("sample", "S-1", -3), 0);
}

TEST(AuditStripeFor, SpreadsTenThousandIdsEvenlyOverSixteenStripes) {
  constexpr int kStripes = 16;
  constexpr int kIds = 10000;
  std::vector<int> counts(kStripes, 0);
  for (int i = 1; i <= kIds; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "S-2026-%06d", i);
    ++counts[static_cast<size_t>(AuditStripeFor("sample", id, kStripes))];
  }
  const double expected = static_cast<double>(kIds) / kStripes;  // 625
  double chi2 = 0;
  for (int c : counts) {
    EXPECT_GT(c, expected * 0.85);
    EXPECT_LT(c, expected * 1.15);
    chi2 += (c - expected) * (c - expected) / expected;
  }
  EXPECT_LT(chi2, 40.0);  // 15 degrees of freedom: p < 0.001 above 37.7
}

TEST(AuditStripeFor, SpreadsIdsThatDifferOnlyInTheHighBitsOfTheirBytes) {
  // 'A', 'Q', 'a' and 'q' share their low nibble: plain FNV-1a modulo 16 puts all 256 ids in one stripe.
  const std::string letters = "AQaq";
  std::set<int> stripes;
  for (char a : letters) {
    for (char b : letters) {
      for (char c : letters) {
        for (char d : letters) stripes.insert(AuditStripeFor("test", std::string{a, b, c, d}, 16));
      }
    }
  }
  EXPECT_GE(stripes.size(), 14u);
}

TEST(AuditStripeFor, DependsOnTheEntityAsWellAsTheId) {
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string id = std::to_string(i);
    if (AuditStripeFor("sample", id, 16) != AuditStripeFor("test", id, 16)) ++differ;
  }
  EXPECT_GT(differ, 70);
}

// ---- one listed event, checked on its own (GET /api/v1/audit) ----

AuditEvent LinkedEvent(const std::string& prev_hash, int64_t stripe_seq) {
  AuditEvent e = FixedEvent();
  e.stripe_seq = stripe_seq;
  e.prev_hash = prev_hash;
  e.hash = ChainHash(e.prev_hash, e);
  return e;
}

TEST(AuditCheckEventLink, PassesAnEventLinkedToItsPredecessor) {
  const std::string before(64, 'a');
  EXPECT_EQ(CheckEventLink(LinkedEvent(before, 17), before), std::nullopt);
}

TEST(AuditCheckEventLink, PassesAStripesFirstEventFromGenesis) {
  EXPECT_EQ(CheckEventLink(LinkedEvent(Genesis(), 1), std::nullopt), std::nullopt);
}

TEST(AuditCheckEventLink, NamesAnAlteredEvent) {
  AuditEvent e = LinkedEvent(std::string(64, 'a'), 17);
  e.change.after = "{\"value\":\"0.02\"}";
  const auto reason = CheckEventLink(e, std::string(64, 'a'));
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(Contains(*reason, "was altered")) << *reason;
}

TEST(AuditCheckEventLink, NamesAMissingPredecessor) {
  const auto reason = CheckEventLink(LinkedEvent(std::string(64, 'a'), 17), std::nullopt);
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(Contains(*reason, "removed")) << *reason;
}

TEST(AuditCheckEventLink, NamesAPredecessorWhoseHashChanged) {
  const auto reason = CheckEventLink(LinkedEvent(std::string(64, 'a'), 17), std::string(64, 'b'));
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(Contains(*reason, "does not link")) << *reason;
}

TEST(AuditCheckEventLink, NamesAFirstEventThatDoesNotChainFromGenesis) {
  const auto reason = CheckEventLink(LinkedEvent(std::string(64, 'a'), 1), std::nullopt);
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(Contains(*reason, "genesis")) << *reason;
}

}  // namespace
}  // namespace lims

#include <catch2/catch.hpp>

#include "psc/hlc.hpp"

using psc::Hlc;
using psc::HybridLogicalClock;

TEST_CASE("hlc text form round-trips and sorts like the stamp") {
  const Hlc a{0x18c2f3a1b2cULL, 7}, b{0x18c2f3a1b2cULL, 8}, c{0x18c2f3a1b2dULL, 0};
  CHECK(a.to_text() == "018c2f3a1b2c0007");
  CHECK(Hlc::from_text(a.to_text()) == a);
  CHECK(a.to_text() < b.to_text());
  CHECK(b.to_text() < c.to_text());
  CHECK(Hlc::from_text(Hlc{Hlc::kMaxMillis, Hlc::kMaxCounter}.to_text()) ==
        Hlc{Hlc::kMaxMillis, Hlc::kMaxCounter});
}

TEST_CASE("hlc text parsing refuses anything but 16 lowercase hex digits") {
  CHECK_FALSE(Hlc::from_text(""));
  CHECK_FALSE(Hlc::from_text("018c2f3a1b2c000"));
  CHECK_FALSE(Hlc::from_text("018c2f3a1b2c00070"));
  CHECK_FALSE(Hlc::from_text("018C2F3A1B2C0007"));
  CHECK_FALSE(Hlc::from_text("018c2f3a1b2c000g"));
}

TEST_CASE("hlc ticks are strictly monotonic even when the physical clock goes back") {
  HybridLogicalClock clock;
  const Hlc t1 = clock.tick(1000);
  const Hlc t2 = clock.tick(1000);
  const Hlc t3 = clock.tick(900);  // clock stepped backwards
  const Hlc t4 = clock.tick(2000);
  CHECK(t1 == Hlc{1000, 0});
  CHECK(t2 == Hlc{1000, 1});
  CHECK(t3 == Hlc{1000, 2});
  CHECK(t4 == Hlc{2000, 0});
}

TEST_CASE("hlc counter overflow borrows the next millisecond") {
  HybridLogicalClock clock;
  Hlc last = clock.tick(5);
  for (int i = 0; i < 70000; ++i) {
    const Hlc next = clock.tick(5);
    REQUIRE(last < next);
    last = next;
  }
  CHECK(last.millis == 6);
}

TEST_CASE("observing a remote stamp orders later local ticks after it") {
  HybridLogicalClock clock;
  clock.tick(100);
  clock.observe(Hlc{5000, 3}, 100);  // a device whose clock runs ahead
  CHECK(clock.tick(100) == Hlc{5000, 4});
  clock.observe(Hlc{10, 0}, 6000);  // an old stamp does not move us back
  CHECK(clock.tick(6000) == Hlc{6000, 1});
}

TEST_CASE("the server time offset corrects physical readings") {
  HybridLogicalClock clock;
  clock.set_offset_ms(-500);  // device clock 500 ms fast
  CHECK(clock.tick(10'000) == Hlc{9'500, 0});
  clock.set_offset_ms(-20'000);
  CHECK(clock.tick(10'000) == Hlc{9'500, 1});  // never below 0, never backwards
}

#pragma once
// Time limits that tests give the processes they start, scaled like CTest's
// own limits: the sanitize preset (SEGLAB_TEST_TIMEOUT_SCALE=4) runs seglab
// several times slower, and a limit tuned for the release build would read
// that as a hang.
namespace seglab::test {

// SEGLAB_TEST_TIMEOUT_SCALE of this build (1 in release, 4 under sanitize).
int time_limit_scale();

// `seconds` times the scale.
inline int scaled_seconds(int seconds) { return seconds * time_limit_scale(); }

}  // namespace seglab::test

// One rule's alert from two services, for the tests that acknowledge one of
// them and watch the other go on (acknowledgements_test, pipeline_test:
// one definition, since a unity build compiles them together).
#pragma once

#include <tocsin/labels.h>

namespace tocsin::test {

inline const Labels kPolicy{{"alertname", "HighErrorRate"}, {"service", "policy"}};
inline const Labels kWorkflow{{"alertname", "HighErrorRate"}, {"service", "workflow"}};

}  // namespace tocsin::test

package conformance

// domainSteps are steps phrased in the API's own words that go beyond the
// token steps of steps.go.
var domainSteps = []StepDefinition{}

package schemas

// TimeLayout is how times are written, in the API's resources and in
// fixtures documents alike: UTC with microseconds, as in NetApp's examples
// ("2022-10-06T20:58:16.305662Z"). Format a time with
// t.UTC().Format(TimeLayout).
const TimeLayout = "2006-01-02T15:04:05.000000Z"

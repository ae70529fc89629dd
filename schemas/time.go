package schemas

// TimeLayout is how the mock writes a time: in UTC, with six fraction
// digits (2022-10-06T20:58:16.305662Z). CONTRACT.md §2 (Token, "Time")
// allows zero to nine digits and makes six the mock's [policy].
const TimeLayout = "2006-01-02T15:04:05.000000Z"

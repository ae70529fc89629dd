package conformance

// Placeholder is one {…} form that request paths, bodies, header values and
// expected values in steps may contain; expand replaces it before use.
type Placeholder struct {
	Form    string
	Meaning string
}

// Placeholders returns every placeholder the step library expands, in
// reference order. A placeholder that needs an identity, a group or fixture
// facts the configuration lacks skips the scenario with the reason; one
// that is not listed here is an error naming the nearest that are. Text in
// braces that has quotes or a colon, or starts with a digit (JSON objects
// in bodies, counts in regular expressions), is left alone.
func Placeholders() []Placeholder {
	return []Placeholder{
		{"{account}", "The configured account id."},
		{"{foreign account}", "The foreign admin's account id."},
		{"{group}", "The configured group id (a group of the account with the member and the viewer, not the second member)."},
		{"{run}", "The run id (`cf-` and eight hex digits, or `-run-id`). Start the name of every token a scenario creates by raw request with it, so that `-cleanup` can find it if the run crashes."},
		{"{admin} {member} {viewer} {second member} {foreign admin}", "The role's user id."},
		{"{user tokens of ROLE}", "The role's user-scope collection path, `/accounts/{its account}/core/v1/users/{its user id}/tokens`."},
		{"{group tokens of ROLE}", "The role's group-scope collection path, `/accounts/{its account}/core/v1/groups/{group}/users/{its user id}/tokens`."},
		{"{id of NAME} {secret of NAME} {name of NAME} {location of NAME}", "The id, secret, full name (run id + NAME) and Location of a token the scenario made with a Tokens step (`the member has a token named \"NAME\"`)."},
		{"{fixture id of NAME}", "The id of the token called NAME in the mock's fixtures; scenarios using it need `-fixtures` and a target with the mock's admin API, and are skipped on one without (tag them `@mock-only`)."},
		{"{$KEY}", "A value saved earlier in the scenario with `I save the JSON at \"…\" as \"KEY\"` or `I save the response header \"…\" as \"KEY\"`."},
	}
}

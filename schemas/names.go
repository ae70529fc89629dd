package schemas

// TokenNameForbidden returns the sequences the extended validation of a
// token name refuses anywhere in it (CONTRACT.md §5 [policy], problem type
// 9), in the order CONTRACT.md lists them: markup, quotes, directory
// traversal, SQL comments and separators. A name is refused as well for any
// byte outside printable ASCII (0x20 to 0x7e).
func TokenNameForbidden() []string {
	return []string{"<", ">", `"`, "`", "../", `..\`, "--", ";", "/*", "*/"}
}

package explore

// Family is a family of properties the explorer checks; the reports have
// one case per family.
type Family string

// The property families, in report order.
const (
	// FamilyContract: every answer satisfies the contract (Contract.Check:
	// the OpenAPI document, with the problem types documented for the
	// operation and status).
	FamilyContract Family = "answers satisfy the contract"
	// FamilyAnswer: a request with one known defect (or none) gets the
	// answer the contract prescribes for it.
	FamilyAnswer Family = "a request gets the answer prescribed for it"
	// FamilyReadBack: a created token reads back as created.
	FamilyReadBack Family = "a created token reads back equal"
	// FamilyUpdate: an update is visible.
	FamilyUpdate Family = "an update is visible"
	// FamilyDelete: a deleted token is gone (404).
	FamilyDelete Family = "a deleted token is gone"
	// FamilyCredential: a created token's secret authenticates until the
	// token is deleted, then never (401).
	FamilyCredential Family = "a token's credential lives and dies with it"
	// FamilyListContents: a list holds exactly the run's live tokens among
	// those named with the run id.
	FamilyListContents Family = "lists hold exactly the live tokens"
	// FamilyPaging: limit, skip, count and continue agree with the
	// unpaged list.
	FamilyPaging Family = "paging agrees with the unpaged list"
	// FamilyOrder: orderBy sorts.
	FamilyOrder Family = "orderBy sorts"
	// FamilyFilter: every filtered item satisfies the filter.
	FamilyFilter Family = "filter results satisfy the predicate"
	// FamilyInclude: include projects the fields in the order asked.
	FamilyInclude Family = "include projects the fields in order"
	// FamilyReference: the target answers as the reference does, after
	// normalisation.
	FamilyReference Family = "the target agrees with the reference"
)

// Families lists every family, in report order.
func Families() []Family {
	return []Family{FamilyContract, FamilyAnswer, FamilyReadBack, FamilyUpdate, FamilyDelete, FamilyCredential,
		FamilyListContents, FamilyPaging, FamilyOrder, FamilyFilter, FamilyInclude, FamilyReference}
}

// Finding is a broken property or a disagreement with the reference.
type Finding struct {
	Family  Family
	Step    int    // the id of the step whose answer broke it
	Message string // what is wrong
	// Request is the request as sent to the target; Target and Reference
	// the answers (Reference empty without a reference).
	Request, Target, Reference string
	// Sequence is the shrunk sequence that reproduces it; Repro the
	// feature file written from it, ReproPath where it was written.
	Sequence  []Step
	Repro     string
	ReproPath string
	// ReproOnTarget and ReproOnReference say how the repro's scenario
	// ended when the suite ran it against each ("passed", "failed: …"):
	// it should fail against the target and pass against the reference.
	ReproOnTarget, ReproOnReference string
	// expect is what the answer of Step should have been, as checks the
	// repro asserts.
	expect []check
	// names maps the values in expect to placeholders.
	names *names
}

// check is one assertion of a repro on the answer of its last request,
// rendered as a step of the step library.
type check struct {
	kind  string // status, not status, problem, json, absent, present, header, no header, ordered, items, contains, lacks
	path  string // a JSON path or a header name
	value any    // what it should be
	n     int
	desc  bool
}

package query

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// Op is a filter operator.
type Op string

// The filter operators of CONTRACT.md §4. OpIn is a substring match: the field's
// value contains the filter value.
const (
	OpEq  Op = "eq"
	OpLt  Op = "lt"
	OpGt  Op = "gt"
	OpLte Op = "lte"
	OpGte Op = "gte"
	OpIn  Op = "in"
)

func (op Op) valid() bool {
	switch op {
	case OpEq, OpLt, OpGt, OpLte, OpGte, OpIn:
		return true
	}
	return false
}

// The filterable fields, in their canonical spelling.
const (
	FieldType                  = "type"
	FieldVersion               = "version"
	FieldID                    = "id"
	FieldName                  = "name"
	FieldUserID                = "userID"
	FieldCreationTimestamp     = "metadata.creationTimestamp"
	FieldModificationTimestamp = "metadata.modificationTimestamp"
	FieldCreatedBy             = "metadata.createdBy"
	FieldModifiedBy            = "metadata.modifiedBy"
	FieldLabelName             = "metadata.labels[*].name"
	FieldLabelValue            = "metadata.labels[*].value"
)

// filterFields maps a field path without any [*] to its canonical form.
var filterFields = map[string]string{
	"type":                           FieldType,
	"version":                        FieldVersion,
	"id":                             FieldID,
	"name":                           FieldName,
	"userID":                         FieldUserID,
	"metadata.creationTimestamp":     FieldCreationTimestamp,
	"metadata.modificationTimestamp": FieldModificationTimestamp,
	"metadata.createdBy":             FieldCreatedBy,
	"metadata.modifiedBy":            FieldModifiedBy,
	"metadata.labels.name":           FieldLabelName,
	"metadata.labels.value":          FieldLabelValue,
}

// Filter is one parsed `filter` parameter: `field op 'value'`. Field is in
// canonical form (labels fields always with [*]). A Filter on a timestamp
// field whose Value is not a valid time matches nothing (ParseFilter
// refuses one).
type Filter struct {
	Field string
	Op    Op
	Value string
}

func filterError(reason string) error { return newError(ParamFilter, reason) }

const filterForm = "; want field op 'value'"

// ParseFilter parses one filter parameter, the query value after URL
// decoding. A literal "%20" anywhere in s also counts as a space. Field,
// operator and value are separated by exactly one space each; nothing may
// precede the field or follow the closing quote.
func ParseFilter(s string) (Filter, error) {
	s = strings.ReplaceAll(s, "%20", " ")
	if s == "" {
		return Filter{}, filterError("must not be empty" + filterForm)
	}
	fieldText, rest, ok := strings.Cut(s, " ")
	field, err := parseFilterField(fieldText)
	if err != nil {
		return Filter{}, err
	}
	if !ok || rest == "" {
		return Filter{}, filterError("missing operator after the field" + filterForm)
	}
	opText, valText, ok := strings.Cut(rest, " ")
	if i := strings.IndexByte(opText, '\''); i > 0 && Op(opText[:i]).valid() {
		return Filter{}, filterError("want exactly one space between the operator and the value")
	}
	switch {
	case opText == "":
		return Filter{}, filterError("want exactly one space between the field and the operator")
	case !Op(opText).valid():
		return Filter{}, filterError("unknown operator " + quote(opText) + "; want eq, lt, gt, lte, gte or in")
	case !ok || valText == "":
		return Filter{}, filterError("missing value after the operator" + filterForm)
	case valText[0] == ' ':
		return Filter{}, filterError("want exactly one space between the operator and the value")
	case valText[0] != '\'':
		return Filter{}, filterError("value must be single-quoted")
	}
	end := strings.IndexByte(valText[1:], '\'')
	if end < 0 {
		return Filter{}, filterError("value is missing its closing quote")
	}
	value, trailing := valText[1:1+end], valText[2+end:]
	if trailing != "" {
		return Filter{}, filterError("unexpected " + quote(trailing) + " after the closing quote")
	}
	for i := 0; i < len(value); i++ {
		if !valueChar(value[i]) {
			return Filter{}, filterError("character " + strconv.Quote(value[i:i+1]) + " is not allowed in the value")
		}
	}
	f := Filter{Field: field, Op: Op(opText), Value: value}
	if isTimeField(field) && f.Op != OpIn {
		if _, ok := parseTime(value); !ok {
			return Filter{}, filterError("value of " + field + " must be a time like 2022-10-06T20:58:16.305662Z, got " + quote(value))
		}
	}
	return f, nil
}

// parseFilterField checks a field path and returns its canonical form.
func parseFilterField(text string) (string, error) {
	if text == "" {
		return "", filterError("missing field" + filterForm)
	}
	segs := strings.Split(text, ".")
	stars := make([]bool, len(segs))
	for i, seg := range segs {
		seg, stars[i] = strings.CutSuffix(seg, "[*]")
		if !isAlnum(seg) {
			return "", filterError("malformed field " + quote(text) + ": want dot-separated names of letters and digits, each optionally followed by [*]")
		}
		segs[i] = seg
	}
	canon, ok := filterFields[strings.Join(segs, ".")]
	if !ok {
		return "", filterError("unknown field " + quote(text))
	}
	for i, star := range stars {
		if star && !(i == 1 && (canon == FieldLabelName || canon == FieldLabelValue)) {
			return "", filterError(`"[*]" is not allowed after ` + quote(segs[i]) + ", which is not an array")
		}
	}
	return canon, nil
}

// valueChar reports whether c may appear in a filter value: 0-9a-zA-Z.,
// space, :, @, {, }, " and the range ,–_ (0x2C–0x5F).
func valueChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', ',' <= c && c <= '_':
		return true
	case c == ' ', c == '"', c == '{', c == '}':
		return true
	}
	return false
}

func isTimeField(field string) bool {
	return field == FieldCreationTimestamp || field == FieldModificationTimestamp
}

// timePattern is the CONTRACT.md §2 time pattern, with groups for the parts.
var timePattern = regexp.MustCompile(`^([0-9]{4})-(0[1-9]|1[0-2])-([0][1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(|[.,]([0-9]{1,9}))Z$`)

// parseTime parses a time matching the contract's pattern, refusing dates that
// do not exist (2023-02-30).
func parseTime(s string) (time.Time, bool) {
	m := timePattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	var ns int
	if frac := m[8]; frac != "" {
		ns, _ = strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], ns, time.UTC)
	if t.Day() != n[2] {
		return time.Time{}, false
	}
	return t, true
}

// String returns the canonical form `field op 'value'`, with one space as
// separator and the field in canonical form; ParseFilter reads it back to
// the same Filter.
func (f Filter) String() string {
	return f.Field + " " + string(f.Op) + " '" + f.Value + "'"
}

// Match reports whether t passes the filter, judged on t's resource as a
// client sees it:
//   - strings compare in byte order, case-sensitively; in is a substring match;
//   - timestamps compare in time order against the written (microsecond)
//     instant, except in, which matches a substring of the written form;
//   - a label field matches if any label matches; a token without labels
//     never matches a label filter;
//   - metadata.modifiedBy of a never-modified token is absent from the
//     resource and matches no filter at all, not even in with an empty value.
//
// layout is the layout times are written in, schemas.TimeLayout, which the
// caller passes (query may not import schemas): in matches a substring of
// a time written in it.
func (f Filter) Match(t *token.Token, layout string) bool {
	switch f.Field {
	case FieldType:
		return f.matchString(token.MediaType)
	case FieldVersion:
		return f.matchString(token.Version)
	case FieldID:
		return f.matchString(t.ID)
	case FieldName:
		return f.matchString(t.Name)
	case FieldUserID:
		return f.matchString(t.UserID)
	case FieldCreatedBy:
		return f.matchString(t.CreatedBy)
	case FieldModifiedBy:
		return t.ModifiedBy != "" && f.matchString(t.ModifiedBy)
	case FieldCreationTimestamp:
		return f.matchTime(t.CreationTimestamp, layout)
	case FieldModificationTimestamp:
		return f.matchTime(t.ModificationTimestamp, layout)
	case FieldLabelName:
		for _, l := range t.Labels {
			if f.matchString(l.Name) {
				return true
			}
		}
	case FieldLabelValue:
		for _, l := range t.Labels {
			if f.matchString(l.Value) {
				return true
			}
		}
	}
	return false
}

func (f Filter) matchString(v string) bool {
	if f.Op == OpIn {
		return strings.Contains(v, f.Value)
	}
	return f.Op.holds(strings.Compare(v, f.Value))
}

func (f Filter) matchTime(v time.Time, layout string) bool {
	if f.Op == OpIn {
		return strings.Contains(v.UTC().Format(layout), f.Value)
	}
	at, ok := parseTime(f.Value)
	if !ok {
		return false
	}
	// Compare what the client sees: the time as written, to the microsecond.
	return f.Op.holds(v.UTC().Truncate(time.Microsecond).Compare(at))
}

// holds reports whether "field op value" is true given c, the comparison
// of the field's value with the filter value.
func (op Op) holds(c int) bool {
	switch op {
	case OpEq:
		return c == 0
	case OpLt:
		return c < 0
	case OpGt:
		return c > 0
	case OpLte:
		return c <= 0
	case OpGte:
		return c >= 0
	}
	return false
}

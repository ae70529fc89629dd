package admin

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Part is a part of the mock that Stack.Reset puts back as the mock
// started. POST /__admin/reset?what=… names them the same way.
type Part string

// The parts a reset may cover.
const (
	// State is the accounts, users, groups and tokens: back to the
	// fixtures (or state file) loaded at start. Tokens created since are
	// gone, their credentials revoked; deleted ones are back.
	State Part = "state"
	// Journal is the request journal: emptied.
	Journal Part = "journal"
	// Faults is the fault rules: all removed.
	Faults Part = "faults"
)

// AllParts returns every part, in the order Reset puts them back: what a
// reset without a choice covers.
func AllParts() []Part { return []Part{State, Journal, Faults} }

// ParseParts reads the what parameter of POST /__admin/reset: one or more
// of state, journal and faults, separated by commas. An empty list, an
// unknown part or one named twice is an error naming it.
func ParseParts(what string) ([]Part, error) {
	if strings.TrimSpace(what) == "" {
		return nil, errors.New("empty: name one or more of state, journal, faults, separated by commas")
	}
	var parts []Part
	for _, w := range strings.Split(what, ",") {
		p := Part(strings.TrimSpace(w))
		switch {
		case !slices.Contains(AllParts(), p):
			return nil, fmt.Errorf("unknown part %q: want state, journal or faults", p)
		case slices.Contains(parts, p):
			return nil, fmt.Errorf("part %q named twice", p)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// Reset puts the given parts back as the mock started; without parts, all
// of them (AllParts), so that a reset means one thing wherever it is asked
// for: the admin API, mocktest, astra-mock's documentation.
func (s *Stack) Reset(parts ...Part) error {
	if len(parts) == 0 {
		parts = AllParts()
	}
	for _, p := range parts {
		switch p {
		case State:
			if err := s.Server.Reset(); err != nil {
				return fmt.Errorf("resetting the state: %w", err)
			}
		case Journal:
			s.Journal.Clear()
		case Faults:
			s.Faults.Clear()
		default:
			return fmt.Errorf("reset: unknown part %q", p)
		}
	}
	return nil
}

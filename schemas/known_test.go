package schemas

import (
	"fmt"
	"testing"
)

func TestKnownValidIsBounded(t *testing.T) {
	var k KnownValid
	for i := range MaxKnownValid + 10 {
		k.Add(fmt.Sprint(i))
	}
	n := 0
	k.keys.Range(func(any, any) bool { n++; return true })
	if n != MaxKnownValid || !k.Has("0") || k.Has(fmt.Sprint(MaxKnownValid)) {
		t.Fatalf("%d keys remembered; want the first %d only", n, MaxKnownValid)
	}
}

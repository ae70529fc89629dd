package mockserver

import (
	"slices"
	"strconv"
	"strings"
)

// Media types the mock answers with.
const (
	mediaJSON  = "application/json"
	mediaToken = "application/astra-token+json"
)

// acceptQuality returns the quality the Accept header gives to a media
// type, using the most specific range that matches it, and -1 when no range
// does. A missing header accepts everything.
func acceptQuality(accept, media string) float64 {
	if strings.TrimSpace(accept) == "" {
		return 1
	}
	mainType, _, _ := strings.Cut(media, "/")
	best, bestSpec := -1.0, 0
	for _, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		rng := strings.ToLower(strings.TrimSpace(fields[0]))
		spec := 0
		switch {
		case rng == media:
			spec = 3
		case rng == mainType+"/*":
			spec = 2
		case rng == "*/*":
			spec = 1
		default:
			continue
		}
		q := 1.0
		for _, p := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
		}
		if spec > bestSpec {
			best, bestSpec = q, spec
		}
	}
	return best
}

// negotiateToken picks the media type of a token representation:
// application/astra-token+json when the client asks for it by name at least
// as strongly as for anything else, application/json otherwise. ok is false
// when the client accepts neither.
func negotiateToken(accept string) (string, bool) {
	qJSON := acceptQuality(accept, mediaJSON)
	qToken := acceptQuality(accept, mediaToken)
	if qToken > 0 && qToken >= qJSON && namesMedia(accept, mediaToken) {
		return mediaToken, true
	}
	if qJSON > 0 {
		return mediaJSON, true
	}
	if qToken > 0 {
		return mediaToken, true
	}
	return "", false
}

// negotiateList picks the media type of a list. The reference declares
// lists as application/json only, but NetApp's samples send the singular
// token type, so accepting either yields application/json.
func negotiateList(accept string) (string, bool) {
	if acceptQuality(accept, mediaJSON) > 0 || acceptQuality(accept, mediaToken) > 0 {
		return mediaJSON, true
	}
	return "", false
}

// namesMedia reports whether accept names media explicitly (not only
// through a wildcard).
func namesMedia(accept, media string) bool {
	return slices.ContainsFunc(strings.Split(accept, ","), func(part string) bool {
		rng, _, _ := strings.Cut(part, ";")
		return strings.EqualFold(strings.TrimSpace(rng), media)
	})
}

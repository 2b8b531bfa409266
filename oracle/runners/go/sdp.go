package main

import "strings"

// iceCredentials: the distinct [ufrag, pwd] pairs of an SDP in order of appearance, per m= section; the
// session-level lines apply to the sections without their own (as the JavaScript runner computes them).
func iceCredentials(sdp string) [][]interface{} {
	type creds struct{ ufrag, pwd *string }
	sections := []creds{{}}
	for _, line := range strings.Split(sdp, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "m=") {
			sections = append(sections, creds{})
		}
		cur := &sections[len(sections)-1]
		if v := strings.TrimPrefix(line, "a=ice-ufrag:"); v != line {
			t := strings.TrimSpace(v)
			cur.ufrag = &t
		} else if v := strings.TrimPrefix(line, "a=ice-pwd:"); v != line {
			t := strings.TrimSpace(v)
			cur.pwd = &t
		}
	}
	out := [][]interface{}{}
	seen := map[[2]string]bool{}
	orNull := func(p *string) interface{} {
		if p == nil {
			return nil
		}
		return *p
	}
	add := func(u, p *string) {
		if u == nil && p == nil {
			return
		}
		key := [2]string{"\x00", "\x00"}
		if u != nil {
			key[0] = "=" + *u
		}
		if p != nil {
			key[1] = "=" + *p
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, []interface{}{orNull(u), orNull(p)})
		}
	}
	session := sections[0]
	if len(sections) == 1 {
		add(session.ufrag, session.pwd)
		return out
	}
	for _, s := range sections[1:] {
		u, p := s.ufrag, s.pwd
		if u == nil {
			u = session.ufrag
		}
		if p == nil {
			p = session.pwd
		}
		add(u, p)
	}
	return out
}

// originLine: the o= line of an SDP ("" if none), which names an offer or answer (session id and version).
func originLine(sdp string) string {
	for _, line := range strings.Split(sdp, "\n") {
		if strings.HasPrefix(line, "o=") {
			return strings.TrimSuffix(line, "\r")
		}
	}
	return ""
}

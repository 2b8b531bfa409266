// Command peerspec-pion is peerspec's runner for Pion (github.com/pion/webrtc v3): it speaks peerspec's session
// protocol (oracle/SESSION-PROTOCOL.md) on standard input and output, one JSON object per line, and runs each
// trace step (oracle/TRACE-FORMAT.md) against Pion's typed Go API. README.md in this folder says how trace values
// become Go values.
//
// Build (offline, Debian's Go and Pion):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o peerspec-pion ./oracle/runners/go/
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
)

const protocolVersion = 1

// pionVersion may be set at build time (-ldflags "-X main.pionVersion=..."); otherwise hello reads the version
// of Debian's package from dpkg's status file, and says "v3" when it cannot.
var pionVersion = ""

// The trace ops this runner has. Pion v3.1.56 has no RestartIce: a restartIce step is notImplemented.
var implemented = []string{
	"construct", "setConfiguration", "getConfiguration", "createOffer", "createAnswer",
	"setLocalDescription", "setRemoteDescription", "close", "createDataChannel", "generateCertificate",
}

type server struct {
	sessions map[int64]*session
	next     int64
	out      *bufio.Writer
}

func main() {
	// Answers go to the original standard output; everything else that writes to file descriptor 1 (Pion's
	// default logger writes there) goes to standard error instead, so that it cannot corrupt the protocol.
	protocolOut := os.Stdout
	if fd, err := syscall.Dup(1); err == nil {
		if err := syscall.Dup3(2, 1, 0); err == nil {
			protocolOut = os.NewFile(uintptr(fd), "protocol-out")
			os.Stdout = os.Stderr
		}
	}
	s := &server{sessions: map[int64]*session{}, next: 1, out: bufio.NewWriter(protocolOut)}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			s.answer(s.handle(bytes.TrimRight(line, "\r\n")))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "peerspec-pion: reading standard input:", err)
			break
		}
	}
	for _, sess := range s.sessions {
		sess.closeAll()
	}
}

func (s *server) answer(v interface{}) {
	data, err := marshal(v)
	if err != nil {
		data, _ = marshal(map[string]interface{}{"runnerError": "encoding the answer failed: " + err.Error()})
	}
	_, _ = s.out.Write(data)
	_ = s.out.WriteByte('\n')
	_ = s.out.Flush()
}

// marshal is json.Marshal without HTML escaping and without the trailing newline.
func marshal(v interface{}) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func runnerError(format string, args ...interface{}) map[string]interface{} {
	return map[string]interface{}{"runnerError": fmt.Sprintf(format, args...)}
}

func (s *server) handle(line []byte) interface{} {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(line, &req); err != nil {
		return runnerError("bad JSON: %v", err)
	}
	if req == nil {
		return runnerError("a request is a JSON object")
	}
	if raw, ok := req["hello"]; ok {
		if string(bytes.TrimSpace(raw)) != strconv.Itoa(protocolVersion) {
			return runnerError("this runner speaks protocol %d only", protocolVersion)
		}
		return map[string]interface{}{
			"protocol":       protocolVersion,
			"implementation": "pion",
			"version":        version(),
			"implements":     implemented,
		}
	}
	if raw, ok := req["open"]; ok {
		if string(bytes.TrimSpace(raw)) != "true" {
			return runnerError(`open is {"open": true}`)
		}
		id := s.next
		s.next++
		sess, err := newSession()
		if err != nil {
			return runnerError("opening a session failed: %v", err)
		}
		s.sessions[id] = sess
		return map[string]interface{}{"session": id}
	}
	raw, ok := req["session"]
	if !ok {
		return runnerError("unknown request (expected hello, open or session)")
	}
	id, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	sess := s.sessions[id]
	if err != nil || sess == nil {
		return runnerError("no session %s", string(raw))
	}
	switch {
	case isTrue(req["peek"]):
		return map[string]interface{}{"configuration": sess.peek()}
	case isTrue(req["close"]):
		delete(s.sessions, id)
		sess.closeAll()
		return map[string]interface{}{"closed": true}
	}
	stepRaw, ok := req["step"]
	if !ok {
		return runnerError("a session request has step, peek or close")
	}
	var step map[string]json.RawMessage
	if err := json.Unmarshal(stepRaw, &step); err != nil || step == nil {
		return runnerError("a step is a JSON object")
	}
	return sess.step(step)
}

func isTrue(raw json.RawMessage) bool {
	return raw != nil && string(bytes.TrimSpace(raw)) == "true"
}

// version: Pion's version, from the build or from Debian's package.
func version() string {
	if pionVersion != "" {
		return pionVersion
	}
	data, err := os.ReadFile("/var/lib/dpkg/status")
	if err != nil {
		return "v3"
	}
	const pkg = "golang-github-pion-webrtc.v3-dev"
	for _, para := range bytes.Split(data, []byte("\n\n")) {
		if !bytes.HasPrefix(para, []byte("Package: "+pkg+"\n")) {
			continue
		}
		for _, l := range bytes.Split(para, []byte("\n")) {
			if v := bytes.TrimPrefix(l, []byte("Version: ")); len(v) != len(l) {
				debian := string(bytes.TrimSpace(v))
				upstream := debian
				if i := bytes.LastIndexByte(bytes.TrimSpace(v), '-'); i > 0 {
					upstream = debian[:i]
				}
				return fmt.Sprintf("v%s (Debian %s %s)", upstream, pkg, debian)
			}
		}
	}
	return "v3"
}

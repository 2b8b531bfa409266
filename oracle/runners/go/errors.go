package main

// Pion's errors as peerspec records them: the DOMException (or ECMAScript error) name Pion gives the error, and
// Pion's own message.

import (
	"errors"

	webrtc "github.com/pion/webrtc"
	"github.com/pion/webrtc/pkg/rtcerr"
)

// errorName: the name of the outermost Pion rtcerr type in err's chain (following Unwrap), else the name a
// well-known sentinel error stands for (errors.Is), else "Error".
func errorName(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case *rtcerr.InvalidStateError:
			return "InvalidStateError"
		case *rtcerr.InvalidAccessError:
			return "InvalidAccessError"
		case *rtcerr.InvalidModificationError:
			return "InvalidModificationError"
		case *rtcerr.SyntaxError:
			return "SyntaxError"
		case *rtcerr.TypeError:
			return "TypeError"
		case *rtcerr.OperationError:
			return "OperationError"
		case *rtcerr.NotSupportedError:
			return "NotSupportedError"
		case *rtcerr.NotReadableError:
			return "NotReadableError"
		case *rtcerr.RangeError:
			return "RangeError"
		case *rtcerr.UnknownError:
			return "UnknownError"
		}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "Error"
}

// Sentinel errors Pion documents as one spec error and wraps in that rtcerr type wherever it returns them;
// a bare one (returned without the wrapper) keeps that name.
var sentinels = []struct {
	err  error
	name string
}{
	{webrtc.ErrConnectionClosed, "InvalidStateError"},
	{webrtc.ErrIncorrectSignalingState, "InvalidStateError"},
	{webrtc.ErrNoRemoteDescription, "InvalidStateError"},
	{webrtc.ErrCertificateExpired, "InvalidAccessError"},
	{webrtc.ErrNoTurnCredentials, "InvalidAccessError"},
	{webrtc.ErrTurnCredentials, "InvalidAccessError"},
	{webrtc.ErrModifyingPeerIdentity, "InvalidModificationError"},
	{webrtc.ErrModifyingCertificates, "InvalidModificationError"},
	{webrtc.ErrModifyingBundlePolicy, "InvalidModificationError"},
	{webrtc.ErrModifyingRTCPMuxPolicy, "InvalidModificationError"},
	{webrtc.ErrModifyingICECandidatePoolSize, "InvalidModificationError"},
	{webrtc.ErrPrivateKeyType, "NotSupportedError"},
	{webrtc.ErrProtocolTooLarge, "TypeError"},
	{webrtc.ErrRetransmitsOrPacketLifeTime, "TypeError"},
}

func describeError(err error, kind string) map[string]interface{} {
	return map[string]interface{}{"error": map[string]interface{}{
		"name":    errorName(err),
		"kind":    kind,
		"message": err.Error(),
	}}
}

package main

// Pion's errors as peerspec records them: the DOMException (or ECMAScript error) name Pion gives the error, and
// Pion's own message.

import (
	"errors"

	webrtc "github.com/pion/webrtc"
	"github.com/pion/webrtc/pkg/rtcerr"
)

// errorName: the name of Pion's rtcerr type wrapping err (errors.As, outermost first), else the name a
// well-known sentinel error stands for (errors.Is), else "Error".
func errorName(err error) string {
	var (
		unknown             *rtcerr.UnknownError
		invalidState        *rtcerr.InvalidStateError
		invalidAccess       *rtcerr.InvalidAccessError
		notSupported        *rtcerr.NotSupportedError
		invalidModification *rtcerr.InvalidModificationError
		syntax              *rtcerr.SyntaxError
		typeErr             *rtcerr.TypeError
		operation           *rtcerr.OperationError
		notReadable         *rtcerr.NotReadableError
		rangeErr            *rtcerr.RangeError
	)
	switch {
	case errors.As(err, &invalidState):
		return "InvalidStateError"
	case errors.As(err, &invalidAccess):
		return "InvalidAccessError"
	case errors.As(err, &invalidModification):
		return "InvalidModificationError"
	case errors.As(err, &syntax):
		return "SyntaxError"
	case errors.As(err, &typeErr):
		return "TypeError"
	case errors.As(err, &operation):
		return "OperationError"
	case errors.As(err, &notSupported):
		return "NotSupportedError"
	case errors.As(err, &notReadable):
		return "NotReadableError"
	case errors.As(err, &rangeErr):
		return "RangeError"
	case errors.As(err, &unknown):
		return "UnknownError"
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

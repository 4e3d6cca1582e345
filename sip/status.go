package sip

// Status codes of RFC 3261 §21 and common extensions.
const (
	StatusTrying                = 100
	StatusRinging               = 180
	StatusCallIsBeingForwarded  = 181
	StatusQueued                = 182
	StatusSessionProgress       = 183
	StatusEarlyDialogTerminated = 199

	StatusOK       = 200
	StatusAccepted = 202

	StatusMultipleChoices    = 300
	StatusMovedPermanently   = 301
	StatusMovedTemporarily   = 302
	StatusUseProxy           = 305
	StatusAlternativeService = 380

	StatusBadRequest                  = 400
	StatusUnauthorized                = 401
	StatusPaymentRequired             = 402
	StatusForbidden                   = 403
	StatusNotFound                    = 404
	StatusMethodNotAllowed            = 405
	StatusNotAcceptable               = 406
	StatusProxyAuthenticationRequired = 407
	StatusRequestTimeout              = 408
	StatusGone                        = 410
	StatusConditionalRequestFailed    = 412
	StatusRequestEntityTooLarge       = 413
	StatusRequestURITooLong           = 414
	StatusUnsupportedMediaType        = 415
	StatusUnsupportedURIScheme        = 416
	StatusBadExtension                = 420
	StatusExtensionRequired           = 421
	StatusSessionIntervalTooSmall     = 422
	StatusIntervalTooBrief            = 423
	StatusTemporarilyUnavailable      = 480
	StatusCallTransactionDoesNotExist = 481
	StatusLoopDetected                = 482
	StatusTooManyHops                 = 483
	StatusAddressIncomplete           = 484
	StatusAmbiguous                   = 485
	StatusBusyHere                    = 486
	StatusRequestTerminated           = 487
	StatusNotAcceptableHere           = 488
	StatusBadEvent                    = 489
	StatusRequestPending              = 491
	StatusUndecipherable              = 493

	StatusServerInternalError = 500
	StatusNotImplemented      = 501
	StatusBadGateway          = 502
	StatusServiceUnavailable  = 503
	StatusServerTimeout       = 504
	StatusVersionNotSupported = 505
	StatusMessageTooLarge     = 513

	StatusBusyEverywhere       = 600
	StatusDecline              = 603
	StatusDoesNotExistAnywhere = 604
	StatusNotAcceptableGlobal  = 606
)

// StatusText returns the reason phrase RFC 3261 (or the extension that
// defines it) gives for code, or "" for an unknown code.
func StatusText(code int) string {
	switch code {
	case 100:
		return "Trying"
	case 180:
		return "Ringing"
	case 181:
		return "Call Is Being Forwarded"
	case 182:
		return "Queued"
	case 183:
		return "Session Progress"
	case 199:
		return "Early Dialog Terminated"
	case 200:
		return "OK"
	case 202:
		return "Accepted"
	case 300:
		return "Multiple Choices"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Moved Temporarily"
	case 305:
		return "Use Proxy"
	case 380:
		return "Alternative Service"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 402:
		return "Payment Required"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 406:
		return "Not Acceptable"
	case 407:
		return "Proxy Authentication Required"
	case 408:
		return "Request Timeout"
	case 410:
		return "Gone"
	case 412:
		return "Conditional Request Failed"
	case 413:
		return "Request Entity Too Large"
	case 414:
		return "Request-URI Too Long"
	case 415:
		return "Unsupported Media Type"
	case 416:
		return "Unsupported URI Scheme"
	case 420:
		return "Bad Extension"
	case 421:
		return "Extension Required"
	case 422:
		return "Session Interval Too Small"
	case 423:
		return "Interval Too Brief"
	case 480:
		return "Temporarily Unavailable"
	case 481:
		return "Call/Transaction Does Not Exist"
	case 482:
		return "Loop Detected"
	case 483:
		return "Too Many Hops"
	case 484:
		return "Address Incomplete"
	case 485:
		return "Ambiguous"
	case 486:
		return "Busy Here"
	case 487:
		return "Request Terminated"
	case 488:
		return "Not Acceptable Here"
	case 489:
		return "Bad Event"
	case 491:
		return "Request Pending"
	case 493:
		return "Undecipherable"
	case 500:
		return "Server Internal Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Server Time-out"
	case 505:
		return "Version Not Supported"
	case 513:
		return "Message Too Large"
	case 600:
		return "Busy Everywhere"
	case 603:
		return "Decline"
	case 604:
		return "Does Not Exist Anywhere"
	case 606:
		return "Not Acceptable"
	}
	return ""
}

package sip_test

import (
	"fmt"
	"strings"

	"github.com/parrot-platform/parrot/sip"
)

func ExampleNewBranch() {
	branch := sip.NewBranch()
	fmt.Println(strings.HasPrefix(branch, sip.MagicCookie), branch != sip.NewBranch())
	// Output: true true
}

func ExampleNewRequest() {
	to, _ := sip.ParseURI("sip:bob@biloxi.example.com")
	from, _ := sip.ParseNameAddr(`"Alice" <sip:alice@atlanta.example.com>`)
	contact, _ := sip.ParseNameAddr("<sip:alice@192.0.2.101:5060>")
	sdp := []byte("v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\ns=-\r\n" +
		"c=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n")

	req, err := sip.NewRequest(sip.INVITE, to,
		sip.WithVia(sip.Via{Transport: "UDP", Host: "192.0.2.101", Port: 5060, Params: ";rport"}),
		sip.WithFrom(from),
		sip.WithContact(contact),
		sip.WithHeader(sip.HeaderAllow, "INVITE, ACK, CANCEL, BYE"),
		sip.WithBody("application/sdp", sdp),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The branch, the From tag and the Call-ID are random.
	for _, f := range req.Header {
		switch f.Name {
		case sip.HeaderVia:
			v, _ := req.Header.Via()
			fmt.Printf("Via: %s/%s %s:%d, rport %v, new branch %v\n", v.Protocol, v.Transport, v.Host, v.Port,
				v.Params.Has("rport"), strings.HasPrefix(v.Branch(), sip.MagicCookie))
		case sip.HeaderFrom:
			f, _ := req.Header.From()
			fmt.Printf("From: %s %s, new tag %v\n", f.DisplayName, f.URI, f.Tag() != "")
		case sip.HeaderCallID:
			fmt.Printf("Call-ID: %d characters\n", len(f.Value))
		default:
			fmt.Printf("%s: %s\n", f.Name, f.Value)
		}
	}
	// Serializing writes Content-Length from the body.
	again, err := sip.ParseMessage([]byte(req.String()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("Content-Length:", again.Headers().ContentLength())
	// Output:
	// Via: SIP/2.0/UDP 192.0.2.101:5060, rport true, new branch true
	// Max-Forwards: 70
	// From: "Alice" sip:alice@atlanta.example.com, new tag true
	// To: <sip:bob@biloxi.example.com>
	// Call-ID: 24 characters
	// CSeq: 1 INVITE
	// Contact: <sip:alice@192.0.2.101:5060>
	// Allow: INVITE, ACK, CANCEL, BYE
	// Content-Type: application/sdp
	// Content-Length: 114
}

// exampleInvite is an INVITE as a UAS receives it.
const exampleInvite = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP proxy.biloxi.example.com;branch=z9hG4bK4b43c2ff8.1\r\n" +
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.101\r\n" +
	"Max-Forwards: 69\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
	"To: Bob <sip:bob@biloxi.example.com>\r\n" +
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Timestamp: 54\r\n" +
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
	"Content-Length: 0\r\n\r\n"

func ExampleNewResponse() {
	msg, err := sip.ParseMessage([]byte(exampleInvite))
	if err != nil {
		fmt.Println(err)
		return
	}
	invite := msg.(*sip.Request)

	// 100 Trying: no To tag, the Timestamp echoed.
	trying := sip.NewResponse(invite, sip.StatusTrying, "")
	fmt.Print(strings.ReplaceAll(trying.String(), "\r\n", "\n"))

	// Every other response to the INVITE carries the same To tag: the
	// UAS's tag of the dialog.
	tag := sip.NewTag()
	ringing := sip.NewResponse(invite, sip.StatusRinging, "", sip.WithToTag(tag))
	ok := sip.NewResponse(invite, sip.StatusOK, "", sip.WithToTag(tag))
	r, _ := ringing.Header.To()
	o, _ := ok.Header.To()
	fmt.Println(ringing.StatusCode, ringing.Reason, "and", ok.StatusCode, ok.Reason, "share the To tag:", r.Tag() == o.Tag() && r.Tag() == tag)
	// Output:
	// SIP/2.0 100 Trying
	// Via: SIP/2.0/UDP proxy.biloxi.example.com;branch=z9hG4bK4b43c2ff8.1
	// Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.101
	// From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
	// To: Bob <sip:bob@biloxi.example.com>
	// Call-ID: a84b4c76e66710@pc33.atlanta.example.com
	// CSeq: 314159 INVITE
	// Timestamp: 54
	// Content-Length: 0
	//
	// 180 Ringing and 200 OK share the To tag: true
}

// exampleOutgoing is an INVITE as its UAC sent it, through a proxy.
const exampleOutgoing = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n" +
	"Max-Forwards: 70\r\n" +
	"Route: <sip:proxy.atlanta.example.com;lr>\r\n" +
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
	"To: Bob <sip:bob@biloxi.example.com>\r\n" +
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
	"Content-Length: 0\r\n\r\n"

func ExampleNewAck() {
	msg, _ := sip.ParseMessage([]byte(exampleOutgoing))
	invite := msg.(*sip.Request)
	msg, _ = sip.ParseMessage([]byte("SIP/2.0 486 Busy Here\r\n" +
		"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n" +
		"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n" +
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"Content-Length: 0\r\n\r\n"))
	busy := msg.(*sip.Response)

	ack, err := sip.NewAck(invite, busy)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(ack.String(), "\r\n", "\n"))
	// Output:
	// ACK sip:bob@biloxi.example.com SIP/2.0
	// Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
	// Max-Forwards: 70
	// Route: <sip:proxy.atlanta.example.com;lr>
	// From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
	// To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf
	// Call-ID: a84b4c76e66710@pc33.atlanta.example.com
	// CSeq: 314159 ACK
	// Content-Length: 0
}

func ExampleNewCancel() {
	msg, _ := sip.ParseMessage([]byte(exampleOutgoing))
	cancel, err := sip.NewCancel(msg.(*sip.Request))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(cancel.String(), "\r\n", "\n"))
	// Output:
	// CANCEL sip:bob@biloxi.example.com SIP/2.0
	// Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds
	// Max-Forwards: 70
	// Route: <sip:proxy.atlanta.example.com;lr>
	// From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
	// To: Bob <sip:bob@biloxi.example.com>
	// Call-ID: a84b4c76e66710@pc33.atlanta.example.com
	// CSeq: 314159 CANCEL
	// Content-Length: 0
}

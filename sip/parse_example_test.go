package sip_test

import (
	"errors"
	"fmt"

	"github.com/parrot-platform/parrot/sip"
)

func ExampleParseMessage() {
	data := []byte("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n" +
		"Max-Forwards: 70\r\n" +
		"f: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
		"t: <sip:bob@biloxi.example.com>\r\n" +
		"i: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
		"CSeq: 314159 INVITE\r\n" +
		"l: 0\r\n\r\n")
	msg, err := sip.ParseMessage(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := msg.(*sip.Request)
	via, _ := req.Header.Via()
	from, _ := req.Header.From()
	cseq, _ := req.Header.CSeq()
	fmt.Println(req.Method, req.URI.User, req.URI.Host)
	fmt.Println(via.Transport, via.Branch())
	fmt.Println(from.Name(), from.Tag())
	fmt.Println(cseq.Seq, cseq.Method)

	// A malformed message carries the response to send back.
	_, err = sip.ParseMessage([]byte("OPTIONS sip:bob@biloxi.example.com SIP/3.0\r\n\r\n"))
	var pe *sip.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.StatusCode, pe.Reason)
	}
	// Output:
	// INVITE bob biloxi.example.com
	// UDP z9hG4bK776asdhds
	// Alice 1928301774
	// 314159 INVITE
	// 505 Version Not Supported
}

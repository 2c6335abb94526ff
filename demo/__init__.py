"""The demo forum (AFSE 2007 Manila, 2009 Tokyo, 2011 Malaysia in English and Japanese): the one
package that may import every app, so that the product apps carry no demo data."""

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * flame_pixels PNG MIN_PIXELS MIN_ROWS: did a browser draw the frames of
 * a flame graph?  Counts the pixels of a screenshot in the flame graph's
 * palette (src/report/flame.c: red 50-100, green 110-190, blue 205-255,
 * a few steps of slack for the browser's rounding), and the rows of
 * pixels with a frame's worth of them (ROW_MIN: a level drawn across
 * the picture, its label aside).  Prints both; exits 0 if there are at
 * least MIN_PIXELS and MIN_ROWS, 1 if not, 2 if the PNG cannot be read.
 * For test/report/flamegraph_shot.sh.
 */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SLACK 3
#define ROW_MIN 600

static int in_palette(uint32_t px)
{
	int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

	return r >= 50 - SLACK && r <= 100 + SLACK && g >= 110 - SLACK &&
	       g <= 190 + SLACK && b >= 205 - SLACK;
}

int main(int argc, char **argv)
{
	cairo_surface_t *s;
	unsigned char *data;
	long pixels = 0, rows = 0, min_pixels, min_rows;
	int w, h, stride, x, y;

	if (argc != 4) {
		fputs("usage: flame_pixels PNG MIN_PIXELS MIN_ROWS\n", stderr);
		return 2;
	}
	min_pixels = strtol(argv[2], 0, 10);
	min_rows = strtol(argv[3], 0, 10);
	s = cairo_image_surface_create_from_png(argv[1]);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "flame_pixels: %s: %s\n", argv[1],
			cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return 2;
	}
	/* Read from PNG: ARGB32 or RGB24, a pixel a native uint32_t. */
	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < h; y++) {
		const uint32_t *row =
			(const uint32_t *)(data + (long)y * stride);
		long n = 0;

		for (x = 0; x < w; x++)
			n += in_palette(row[x]);
		pixels += n;
		rows += n >= ROW_MIN;
	}
	cairo_surface_destroy(s);
	printf("%s: %dx%d, %ld pixels in the flame palette, %ld rows with "
	       "%d or more\n",
	       argv[1], w, h, pixels, rows, ROW_MIN);
	return pixels >= min_pixels && rows >= min_rows ? 0 : 1;
}

/// The built-in layouts; `settings.layout` and `settings.index_layout` replace them. See
/// docs/platforms/careers-site.md for the values a layout can use.
enum CareersSiteLayouts {
  static let style = """
    <style>
    body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1d2433}
    header a{color:inherit;text-decoration:none;font-weight:600;display:inline-flex;align-items:center;gap:.6rem}
    header img{height:2.5rem;width:auto}
    .meta{color:#5b6475}
    a.apply{display:inline-block;background:#1f5fbf;color:#fff;padding:.6rem 1.2rem;border-radius:.4rem;text-decoration:none}
    ul.jobs{list-style:none;padding:0} ul.jobs li{padding:.8rem 0;border-bottom:1px solid #e3e6ec}
    h2{font-size:1.15rem;margin:2rem 0 0}
    </style>
    """

  static let page = """
    <!doctype html>
    <html lang="{{language}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="boardctl">
    <title>{{title}}{{#organization}} – {{name}}{{/organization}}</title>
    <link rel="canonical" href="{{url}}">
    <script type="application/ld+json">
    {{{json_ld}}}
    </script>
    \(style)
    </head>
    <body>
    <header><a href="{{index_url}}">{{#organization}}{{#logo}}<img src="{{logo}}" alt="">{{/logo}}{{/organization}}{{site_title}}</a></header>
    <main>
    <h1>{{title}}</h1>
    <p class="meta">{{#organization}}{{name}} · {{/organization}}{{location_text}}{{#employment_type_text}} · {{employment_type_text}}{{/employment_type_text}}{{#salary_text}} · {{salary_text}}{{/salary_text}}</p>
    <p class="meta">Posted <time datetime="{{date_posted}}">{{date_posted_text}}</time>{{#valid_through}} · Open until <time datetime="{{valid_through}}">{{valid_through_text}}</time>{{/valid_through}}</p>
    <article>
    {{{description_html}}}
    </article>
    {{#apply_url}}<p><a class="apply" href="{{apply_url}}">Apply now</a></p>{{/apply_url}}
    <p><a href="{{index_url}}">All open positions</a></p>
    </main>
    </body>
    </html>

    """

  static let index = """
    <!doctype html>
    <html lang="{{language}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="boardctl">
    <title>{{site_title}}</title>
    \(style)
    </head>
    <body>
    <header><a href="{{index_url}}">{{#organization}}{{#logo}}<img src="{{logo}}" alt="">{{/logo}}{{/organization}}{{site_title}}</a></header>
    <main>
    <h1>{{site_title}}</h1>
    {{#count_text}}<p class="meta">{{count_text}}</p>{{/count_text}}
    {{#locations}}
    <section>
    <h2>{{location_text}}</h2>
    <ul class="jobs">
    {{#jobs}}<li><a href="{{url}}">{{title}}</a>{{#employment_type_text}}<br><span class="meta">{{employment_type_text}}{{#salary_text}} · {{salary_text}}{{/salary_text}}</span>{{/employment_type_text}}{{^employment_type_text}}{{#salary_text}}<br><span class="meta">{{salary_text}}</span>{{/salary_text}}{{/employment_type_text}}</li>
    {{/jobs}}
    </ul>
    </section>
    {{/locations}}
    {{^jobs}}<p>No open positions right now.</p>{{/jobs}}
    </main>
    </body>
    </html>

    """
}

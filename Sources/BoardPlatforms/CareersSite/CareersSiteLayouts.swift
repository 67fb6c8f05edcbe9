/// The built-in layouts; `settings.layout` and `settings.index_layout` replace them. See
/// docs/platforms/careers-site.md for the values a layout can use.
enum CareersSiteLayouts {
  static let style = """
    <style>
    body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1d2433}
    header a{color:inherit;text-decoration:none;font-weight:600}
    .meta{color:#5b6475}
    a.apply{display:inline-block;background:#1f5fbf;color:#fff;padding:.6rem 1.2rem;border-radius:.4rem;text-decoration:none}
    ul.jobs{list-style:none;padding:0} ul.jobs li{padding:.8rem 0;border-bottom:1px solid #e3e6ec}
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
    <header><a href="{{site_url}}">{{site_title}}</a></header>
    <main>
    <h1>{{title}}</h1>
    <p class="meta">{{#organization}}{{name}} · {{/organization}}{{location_text}}{{#employment_type_text}} · {{employment_type_text}}{{/employment_type_text}}{{#salary_text}} · {{salary_text}}{{/salary_text}}</p>
    <p class="meta">Posted {{date_posted}}{{#valid_through}} · Open until {{valid_through}}{{/valid_through}}</p>
    <article>
    {{{description_html}}}
    </article>
    {{#apply_url}}<p><a class="apply" href="{{apply_url}}">Apply now</a></p>{{/apply_url}}
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
    <header><a href="{{site_url}}">{{site_title}}</a></header>
    <main>
    <h1>{{site_title}}</h1>
    {{#count}}<p class="meta">{{count}} open position(s)</p>{{/count}}
    <ul class="jobs">
    {{#jobs}}<li><a href="{{url}}">{{title}}</a><br><span class="meta">{{location_text}}{{#employment_type_text}} · {{employment_type_text}}{{/employment_type_text}}{{#salary_text}} · {{salary_text}}{{/salary_text}}</span></li>
    {{/jobs}}
    </ul>
    {{^jobs}}<p>No open positions right now.</p>{{/jobs}}
    </main>
    </body>
    </html>

    """
}
